/**
 * The renderer's only way out: the Electron preload's `window.clawInstances`,
 * or, in a browser, the same bridge over the host's `/api` WebSocket. Either
 * way the snapshot stream is decoded here, in the page.
 */
import { BRIDGE_GLOBAL, BRIDGE_NAMES, bridgeCalls, type BridgeCalls, type BridgeName, type HostBridge, type InstancesApi } from '../shared/ipc/bridge.js';
import type { ViewSnapshot } from '../shared/ipc/contract.js';
import { SnapshotDecoder, type SnapshotMessage } from '../shared/ipc/snapshot-stream.js';
import { HostFrameSchema, SESSION_PATH, SOCKET_PATH, type CallFrame } from '../shared/ipc/socket-frames.js';
import { benchHooks } from './bench-hooks.js';
import { Emitter } from '../shared/events/emitter.js';

declare global {
  interface Window {
    [BRIDGE_GLOBAL]?: HostBridge;
  }
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
    benchHooks?.messageReceived?.();
    const result = decoder.decode(message);
    if (result.kind === 'snapshot') emit(result.snapshot);
    else if (result.kind === 'resync') void getSnapshot().then(emit, () => {});
  });
  // Every call but getSnapshot goes straight through; only the table's calls, not the stream.
  const calls = Object.fromEntries(BRIDGE_NAMES.map((name) => [name, bridge[name]])) as unknown as BridgeCalls;
  return {
    ...calls,
    getSnapshot,
    onSnapshot: (listener) => listeners.on(listener),
  };
}

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
        let raw: unknown;
        try {
          raw = JSON.parse(event.data);
        } catch {
          return;
        }
        const frame = HostFrameSchema.safeParse(raw);
        if (!frame.success) return;
        const msg = frame.data;
        if (msg.type === 'snapshot') deliver(msg.message);
        else if (msg.type === 'result') {
          const p = pending.get(msg.id);
          pending.delete(msg.id);
          if (msg.ok) p?.resolve(msg.value);
          else p?.reject(new Error(msg.error));
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
            .then(() => calls.getSnapshot())
            .then((snapshot) => deliver({ kind: 'full', snapshot }), () => {});
        }, 1000);
      };
    });
    return ready;
  };

  const send = async (method: BridgeName, arg: unknown): Promise<unknown> => {
    const ws = socket ?? (await connect());
    const id = nextId++;
    return new Promise<unknown>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      const frame: CallFrame = { type: 'call', id, method, ...(arg === undefined ? {} : { arg }) };
      ws.send(JSON.stringify(frame));
    });
  };
  const calls = bridgeCalls(send);

  return {
    ...calls,
    onSnapshotMessage: (listener) => listeners.on(listener),
  };
}

export function resolveBridge(onHostState: (up: boolean) => void, onNeedsLink?: () => void): InstancesApi {
  if (window.clawInstances) return decodeBridge(window.clawInstances);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return decodeBridge(createSocketBridge(`${scheme}://${location.host}${SOCKET_PATH}`, onHostState, onNeedsLink));
}
