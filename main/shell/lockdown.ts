/**
 * Applies the security policy to the running app: every permission request
 * denied, navigation and new windows denied, webviews refused, and the app's
 * pages served through `app://` with the strict CSP.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { app, protocol, session, type WebContents } from 'electron';
import { APP_SCHEME } from '../../shared/ipc/channels.js';
import { contentType } from '../page/page-files.js';
import { APP_CSP, resolveAppRequest } from './security-policy.js';

/** Must run before `app.whenReady()`. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const resolved = resolveAppRequest(request.url, rendererDir, path.sep);
    if (resolved.status !== 200) return new Response(resolved.status === 400 ? 'bad request' : 'not found', { status: resolved.status });
    const { file } = resolved;
    try {
      const body = await readFile(file);
      return new Response(body, { headers: { 'Content-Type': contentType(file), 'Content-Security-Policy': APP_CSP, 'X-Content-Type-Options': 'nosniff' } });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

export function lockDownSessions(): void {
  const ses = session.defaultSession;
  // No permission (camera, notifications, clipboard-read, …) is ever granted to the page.
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents));
}

function lockDownContents(contents: WebContents): void {
  // In-app navigation is never needed: the app is one page, so every navigation and redirect is refused.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
