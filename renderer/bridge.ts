/**
 * The renderer's only way out: the Electron preload's `window.clawInstances`,
 * or, in a browser, the same API over the host's `/api` WebSocket.
 */
import type { InstancesApi, PublicSettings, SaveResult, SettingsUpdate, ViewSnapshot } from '../shared/ipc/contract.js';

declare global {
  interface Window {
    clawInstances?: InstancesApi;
  }
}

type HostMessage =
  | { type: 'snapshot'; snapshot: ViewSnapshot }
  | { type: 'result'; id: number; ok: boolean; value?: unknown; error?: string }
  | { type: 'error'; error: string };

/** The browser shell's bridge: reconnects to its host and re-announces the latest snapshot. */
export function createSocketBridge(url: string, onHostState: (up: boolean) => void): InstancesApi {
  const listeners = new Set<(s: ViewSnapshot) => void>();
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  let socket: WebSocket | undefined;
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
        if (msg.type === 'snapshot') for (const l of listeners) l(msg.snapshot);
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
          void connect().then(() => call<ViewSnapshot>('getSnapshot').then((s) => listeners.forEach((l) => l(s))));
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
