/**
 * The renderer's only way out: the Electron preload's `window.clawInstances`,
 * or, in a browser, the same API over the host's `/api` WebSocket.
 */
import type { InstancesApi, PublicSettings, SaveResult, SettingsUpdate, ViewSnapshot } from '../shared/ipc/contract.js';
import { SnapshotDecoder, type SnapshotMessage } from '../shared/ipc/snapshot-stream.js';

declare global {
  interface Window {
    clawInstances?: InstancesApi;
  }
}

type HostMessage =
  | { type: 'snapshot'; message: SnapshotMessage }
  | { type: 'result'; id: number; ok: boolean; value?: unknown; error?: string }
  | { type: 'error'; error: string };

/**
 * Records the JavaScript work of applying one pushed update (parse, decode,
 * selectors, React render and commit) as the User Timing measure `claw:apply`,
 * read by the benchmarks. A MessageChannel task runs after React's microtask
 * flush and before the next frame, so layout and paint are not included; only
 * the latest measure is kept.
 */
const applyChannel = typeof MessageChannel === 'undefined' ? undefined : new MessageChannel();
const applyStarts: number[] = [];
if (applyChannel) {
  applyChannel.port1.onmessage = () => {
    const start = applyStarts.shift();
    if (start === undefined) return;
    performance.clearMeasures('claw:apply');
    performance.measure('claw:apply', { start });
  };
}
function measureApply(start: number): void {
  if (!applyChannel) return;
  applyStarts.push(start);
  applyChannel.port2.postMessage(0);
}

/** The browser shell's bridge: reconnects to its host and re-announces the latest snapshot. */
export function createSocketBridge(url: string, onHostState: (up: boolean) => void): InstancesApi {
  const listeners = new Set<(s: ViewSnapshot) => void>();
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  let socket: WebSocket | undefined;
  const decoder = new SnapshotDecoder();
  const emit = (s: ViewSnapshot) => listeners.forEach((l) => l(s));
  /** Reads the whole snapshot; the host then streams changes against it. */
  const fullSnapshot = async (): Promise<ViewSnapshot> => {
    const snapshot = await call<ViewSnapshot>('getSnapshot');
    return decoder.decode({ kind: 'full', snapshot }) ?? snapshot;
  };
  let ready: Promise<WebSocket> | undefined;

  const connect = (): Promise<WebSocket> => {
    ready ??= new Promise<WebSocket>((resolve) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
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
        if (msg.type === 'snapshot') {
          const receivedAt = performance.now();
          const full = decoder.decode(msg.message);
          if (full) {
            emit(full);
            measureApply(receivedAt);
          } else void fullSnapshot().then(emit, () => {});
        }
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
        setTimeout(() => {
          void connect().then(() => fullSnapshot().then(emit));
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
    getSnapshot: fullSnapshot,
    onSnapshot(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refresh: () => call<void>('refresh'),
    getSettings: () => call<PublicSettings>('getSettings'),
    saveSettings: (update: SettingsUpdate) => call<SaveResult>('saveSettings', update),
  };
}

export function resolveBridge(onHostState: (up: boolean) => void): InstancesApi {
  if (window.clawInstances) return window.clawInstances;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return createSocketBridge(`${scheme}://${location.host}/api`, onHostState);
}
