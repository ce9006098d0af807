/**
 * The renderer's only way out: the Electron preload's `window.clawInstances`,
 * or, in a browser, the same bridge over the host's `/api` WebSocket. Either
 * way the snapshot stream is decoded here, in the page.
 */
import type { HostBridge, InstancesApi, PublicSettings, SaveResult, SettingsUpdate, ViewSnapshot } from '../shared/ipc/contract.js';
import { SnapshotDecoder, type SnapshotMessage } from '../shared/ipc/snapshot-stream.js';
import type { MachineHistory } from '../shared/view/machines.js';
import { Emitter } from '../shared/events/emitter.js';

declare global {
  interface Window {
    clawInstances?: HostBridge;
  }
}

type HostMessage =
  | { type: 'snapshot'; message: SnapshotMessage }
  | { type: 'result'; id: number; ok: boolean; value?: unknown; error?: string }
  | { type: 'error'; error: string };

/**
 * Records the JavaScript work of applying one pushed update (decode, selectors,
 * React render and commit) as the User Timing measure `claw:apply`, read by the
 * benchmarks. React renders a store update in a microtask it queues during the
 * emit; a microtask queued after the emit runs once that render has committed, in
 * the same task, before any layout or paint. Only the latest measure is kept.
 */
function measureApply(start: number): void {
  queueMicrotask(() => {
    performance.clearMeasures('claw:apply');
    performance.measure('claw:apply', { start });
  });
}

/** Decodes a host's snapshot stream into whole snapshots; asks for the whole list when the stream can't be followed. */
export function decodeBridge(bridge: HostBridge): InstancesApi {
  const decoder = new SnapshotDecoder();
  const listeners = new Emitter<[snapshot: ViewSnapshot]>((error) => console.error('a snapshot listener threw', error));
  const emit = (s: ViewSnapshot) => listeners.emit(s);
  const getSnapshot = async (): Promise<ViewSnapshot> => {
    const snapshot = await bridge.getSnapshot();
    const decoded = decoder.decode({ kind: 'full', snapshot });
    return decoded.kind === 'snapshot' ? decoded.snapshot : snapshot;
  };
  bridge.onSnapshotMessage((message) => {
    const receivedAt = performance.now();
    const result = decoder.decode(message);
    if (result.kind === 'snapshot') {
      emit(result.snapshot);
      measureApply(receivedAt);
    } else if (result.kind === 'resync') void getSnapshot().then(emit, () => {});
  });
  return {
    getSnapshot,
    onSnapshot: (listener) => listeners.on(listener),
    refresh: () => bridge.refresh(),
    getSettings: () => bridge.getSettings(),
    saveSettings: (update) => bridge.saveSettings(update),
    getMachineHistory: (key) => bridge.getMachineHistory(key),
    forgetMachine: (key) => bridge.forgetMachine(key),
  };
}

/** Where the browser shell trades launch tokens and says whether we have a session (main/serve/browser-shell.ts). */
const SESSION_PATH = '/session';

export type BrowserSession = 'ok' | 'needs-link' | 'unreachable';

/** Whether this page holds a session cookie for its host. */
export async function checkBrowserSession(fetchFn: typeof fetch = fetch): Promise<BrowserSession> {
  try {
    const res = await fetchFn(SESSION_PATH, { credentials: 'same-origin', cache: 'no-store' });
    return res.status === 204 ? 'ok' : 'needs-link';
  } catch {
    return 'unreachable';
  }
}

/**
 * The browser shell's sign-in (issue 12, V1): a `?token=` from the printed link
 * is taken off the address bar at once (so it stays out of history, bookmarks
 * and screen shares), then traded for the host's HttpOnly session cookie. The
 * page itself never keeps the token or the cookie.
 */
export async function establishBrowserSession(loc: Location = location, hist: History = history, fetchFn: typeof fetch = fetch): Promise<BrowserSession> {
  const params = new URLSearchParams(loc.search);
  const token = params.get('token');
  if (token !== null) {
    params.delete('token');
    const rest = params.toString();
    hist.replaceState(hist.state, '', `${loc.pathname}${rest ? `?${rest}` : ''}${loc.hash}`);
    try {
      await fetchFn(SESSION_PATH, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });
    } catch {
      // The check below says what to do.
    }
  }
  return checkBrowserSession(fetchFn);
}

/**
 * The browser shell's bridge: reconnects to its host and then resends the
 * whole snapshot. When the host refuses the socket because the session is gone
 * (serve restarted), `onNeedsLink` is called instead of retrying for ever.
 */
export function createSocketBridge(url: string, onHostState: (up: boolean) => void, onNeedsLink?: () => void): HostBridge {
  const listeners = new Emitter<[message: SnapshotMessage]>((error) => console.error('a snapshot message listener threw', error));
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  let socket: WebSocket | undefined;
  const deliver = (m: SnapshotMessage) => listeners.emit(m);
  let ready: Promise<WebSocket> | undefined;

  const connect = (): Promise<WebSocket> => {
    ready ??= new Promise<WebSocket>((resolve) => {
      const ws = new WebSocket(url);
      let opened = false;
      ws.onopen = () => {
        opened = true;
        socket = ws;
        onHostState(true);
        resolve(ws);
      };
      ws.onmessage = (event: MessageEvent<string>) => {
        let msg: HostMessage;
        try {
          msg = JSON.parse(event.data) as HostMessage;
        } catch {
          return;
        }
        if (msg.type === 'snapshot') deliver(msg.message);
        else if (msg.type === 'result') {
          const p = pending.get(msg.id);
          pending.delete(msg.id);
          if (msg.ok) p?.resolve(msg.value);
          else p?.reject(new Error(msg.error ?? 'failed'));
        }
      };
      ws.onclose = () => {
        socket = undefined;
        ready = undefined;
        onHostState(false);
        for (const p of pending.values()) p.reject(new Error('host connection lost'));
        pending.clear();
        if (!opened && onNeedsLink) {
          // Refused before opening: either the host is down or our session is not (or no longer) valid.
          void checkBrowserSession().then((session) => (session === 'needs-link' ? onNeedsLink() : retry()));
          return;
        }
        retry();
      };
      const retry = () => {
        // A new connection's stream starts from nothing: hand the page the whole snapshot first.
        setTimeout(() => {
          void connect()
            .then(() => call<ViewSnapshot>('getSnapshot'))
            .then((snapshot) => deliver({ kind: 'full', snapshot }), () => {});
        }, 1000);
      };
    });
    return ready;
  };

  const call = async <T,>(method: string, arg?: unknown): Promise<T> => {
    const ws = socket ?? (await connect());
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(JSON.stringify({ type: 'call', id, method, ...(arg === undefined ? {} : { arg }) }));
    });
  };

  return {
    getSnapshot: () => call<ViewSnapshot>('getSnapshot'),
    onSnapshotMessage: (listener) => listeners.on(listener),
    refresh: () => call<void>('refresh'),
    getSettings: () => call<PublicSettings>('getSettings'),
    saveSettings: (update: SettingsUpdate) => call<SaveResult>('saveSettings', update),
    getMachineHistory: (key: string) => call<MachineHistory>('getMachineHistory', key),
    forgetMachine: (key: string) => call<void>('forgetMachine', key),
  };
}

export function resolveBridge(onHostState: (up: boolean) => void, onNeedsLink?: () => void): InstancesApi {
  if (window.clawInstances) return decodeBridge(window.clawInstances);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return decodeBridge(createSocketBridge(`${scheme}://${location.host}/api`, onHostState, onNeedsLink));
}
