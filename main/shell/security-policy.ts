/**
 * The app's security rules as pure functions, so each is tested in plain Node:
 * the production CSP, which IPC senders are trusted, which navigations and
 * permission requests are refused (all of them), and which file an `app://`
 * request may read. The CSP and the file guard are the browser shell's too
 * (`main/page/page-files.ts`).
 */
import { APP_ORIGIN } from '../../shared/ipc/channels.js';
import { decodePagePath, pageCsp, pageFile } from '../page/page-files.js';

const APP = new URL(APP_ORIGIN);

/**
 * Whether a URL is on our own origin. Compares scheme and host, because
 * `URL.origin` is "null" for a custom scheme outside Electron.
 */
export function isAppUrl(url: URL): boolean {
  return url.protocol === APP.protocol && url.host === APP.host && url.username === '' && url.password === '';
}

/** Production CSP: nothing but our own scripts and styles; no network at all from the page. */
export const APP_CSP = pageCsp("'none'");

/** What an IPC event says about who sent it (Electron's `IpcMainInvokeEvent`, reduced). */
export interface SenderInfo {
  readonly senderId: number;
  /** The sending frame: its URL and whether it is the top frame; null when the frame is gone. */
  readonly frame: { readonly url: string; readonly isMainFrame: boolean } | null;
}

/**
 * Trusted only when both hold: the sender is one of our windows (by webContents
 * id) and the message came from its main frame showing our own origin.
 */
export function isTrustedSender(sender: SenderInfo, trustedWebContentsIds: ReadonlySet<number>): boolean {
  if (!trustedWebContentsIds.has(sender.senderId)) return false;
  if (!sender.frame || !sender.frame.isMainFrame) return false;
  try {
    return isAppUrl(new URL(sender.frame.url));
  } catch {
    return false;
  }
}

/** What an `app://` request maps to: a file under the renderer folder, or the status to answer. */
export type AppRequest = { readonly status: 200; readonly file: string } | { readonly status: 400 | 404 };

/**
 * Maps an `app://instances/...` request to a file under the renderer folder.
 * A malformed escape (`/%ff`) is a 400, not an exception (issue 12, V2).
 */
export function resolveAppRequest(requestUrl: string, rendererDir: string, sep = '/'): AppRequest {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { status: 400 };
  }
  if (!isAppUrl(url)) return { status: 404 };
  const decoded = decodePagePath(url.pathname);
  if (decoded === undefined) return { status: 400 };
  const file = pageFile(decoded, rendererDir, sep);
  return file === undefined ? { status: 404 } : { status: 200, file };
}

/** {@link resolveAppRequest}'s file, or undefined for anything that isn't one. */
export function resolveAppFile(requestUrl: string, rendererDir: string, sep = '/'): string | undefined {
  const resolved = resolveAppRequest(requestUrl, rendererDir, sep);
  return resolved.status === 200 ? resolved.file : undefined;
}
