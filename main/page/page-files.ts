/**
 * How the page's files are served, once for both shells: the Electron app's
 * `app://` protocol handler (`main/shell/lockdown.ts`) and the browser shell
 * (`main/serve/browser-shell.ts`). The CSP, the content types and the guard
 * that keeps a request inside the renderer folder live only here.
 */
import path from 'node:path';

/**
 * The page's CSP: nothing but our own scripts and styles. `connectSrc` is the
 * one difference between the shells: `'none'` in the Electron app, whose page
 * talks to the core only through the preload, and `'self'` in the browser
 * shell, whose page opens its own origin's `/api` socket.
 */
export function pageCsp(connectSrc: "'none'" | "'self'"): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connectSrc}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.json': 'application/json',
};

/** The `Content-Type` for a file of the built renderer (served with `nosniff`, so it must be right). */
export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * A request's URL path, decoded; undefined for a malformed escape (`/%ff`), which
 * the shells answer with 400. Decoding once threw a URIError that took the whole
 * process down (issue 12, V2).
 */
export function decodePagePath(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
}

/**
 * The file under `rendererDir` a decoded path names (`/` is `index.html`), or
 * undefined (404) for anything that could leave the folder: a `..` segment
 * (the URL parser already resolved literal ones, so this is an encoded one),
 * a backslash, or an empty segment.
 */
export function pageFile(decodedPath: string, rendererDir: string, sep: string = path.sep): string | undefined {
  const relative = decodedPath.replace(/^\/+/, '') || 'index.html';
  const parts = relative.split('/');
  if (parts.some((p) => p === '..' || p === '' || p.includes('\\'))) return undefined;
  return [rendererDir.replace(/[\\/]+$/, ''), ...parts].join(sep);
}
