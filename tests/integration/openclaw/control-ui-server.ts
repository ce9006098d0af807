/**
 * Serves the real Control UI shipped in the openclaw package (`dist/control-ui`)
 * as static files on 127.0.0.1, the way a user could open it against any
 * gateway: unknown paths get `index.html` (it routes in the page). Its pages
 * load assets relative to the current path (`./assets/…` from
 * `/settings/devices`), so a file is looked up by the path's longest suffix
 * that exists under the root, as a route-aware server would.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ensureOpenClawInstalled } from '../../helpers/openclaw/harness.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
};

export function controlUiRoot(): string {
  return path.join(path.dirname(ensureOpenClawInstalled().entry), 'dist', 'control-ui');
}

export interface StaticServer {
  readonly origin: string;
  stop(): Promise<void>;
}

export async function serveControlUi(root = controlUiRoot()): Promise<StaticServer> {
  const server = http.createServer((req, res) => {
    const segments = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).split('/').filter((p) => p && p !== '..' && p !== '.');
    let file = path.join(root, 'index.html');
    for (let i = 0; i < segments.length; i++) {
      const candidate = path.join(root, ...segments.slice(i));
      // Only files under the root; anything else is the app shell.
      if (candidate.startsWith(root + path.sep) && existsSync(candidate) && statSync(candidate).isFile()) {
        file = candidate;
        break;
      }
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
