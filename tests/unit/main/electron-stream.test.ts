/**
 * The Electron data path end to end with the `electron` module mocked (the mock
 * stands in only for the Electron binary, which can't be downloaded here): the
 * IPC handlers and forwarder in main, the real preload, and the page's decoder.
 * Messages cross "IPC" through structuredClone, as Electron's IPC copies them.
 */
import { describe, expect, it, vi } from 'vitest';
import type { HostBridge } from '../../../shared/ipc/bridge.js';
import type { ViewSnapshot } from '../../../shared/ipc/contract.js';
import { SNAPSHOT_CHANNEL } from '../../../shared/ipc/bridge.js';
import { MAX_ENTRIES_PER_MESSAGE, WINDOW_PUSH_INTERVAL_MS } from '../../../shared/ipc/snapshot-stream.js';
import { manualTimers } from '../../helpers/manual-timers.js';
import { onlyGateway, viewSnapshot } from '../../helpers/view-snapshot.js';
import { fleet } from '../../helpers/fleet.js';
import type { SnapshotMessage } from '../../../shared/ipc/snapshot-stream.js';

const WINDOW_ID = 7;
const mainHandlers = new Map<string, (event: unknown, arg?: unknown) => unknown>();
const pageListeners = new Map<string, Set<(event: unknown, message: unknown) => void>>();
const exposed = new Map<string, unknown>();
/** What the window was sent as an answer's side effect (a resume's catch-up goes to `event.sender`). */
const sentToSender: unknown[] = [];
const ourWindow = {
  sender: {
    id: WINDOW_ID,
    isDestroyed: () => false,
    send: (channel: string, message: unknown) => {
      sentToSender.push(message);
      pageListeners.get(channel)?.forEach((l) => l({}, structuredClone(message)));
    },
  },
  senderFrame: { url: 'app://instances/index.html', parent: null },
};

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, arg?: unknown) => unknown) => mainHandlers.set(channel, fn),
    removeHandler: (channel: string) => mainHandlers.delete(channel),
  },
  ipcRenderer: {
    invoke: async (channel: string, arg?: unknown) => structuredClone(await mainHandlers.get(channel)!(ourWindow, structuredClone(arg))),
    on: (channel: string, fn: (event: unknown, message: unknown) => void) => {
      if (!pageListeners.has(channel)) pageListeners.set(channel, new Set());
      pageListeners.get(channel)!.add(fn);
    },
    removeListener: (channel: string, fn: (event: unknown, message: unknown) => void) => pageListeners.get(channel)?.delete(fn),
  },
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => exposed.set(name, api) },
}));

const { registerIpc, forwardSnapshots } = await import('../../../main/shell/ipc-handlers.js');
await import('../../../preload/preload.js');
const { decodeBridge } = await import('../../../renderer/bridge.js');


/** The app core as the shell sees it: a current snapshot and change notifications. */
function fakeService(first: ViewSnapshot) {
  let current = first;
  const listeners = new Set<(s: ViewSnapshot) => void>();
  return {
    snapshot: () => current,
    subscribe(listener: (s: ViewSnapshot) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refresh: async () => {},
    getSettings: () => ({}),
    saveSettings: async () => ({ ok: false, error: 'n/a' }),
    publish(next: ViewSnapshot) {
      current = next;
      listeners.forEach((l) => l(next));
    },
  };
}

/** The window's webContents as the forwarder sees it: every send is recorded and handed to the preload's listeners. */
function windowContents(): { contents: { id: number; isDestroyed: () => boolean; send: (channel: string, message: unknown) => void }; sends: Array<{ channel: string; message: unknown }> } {
  const sends: Array<{ channel: string; message: unknown }> = [];
  const contents = {
    id: WINDOW_ID,
    isDestroyed: () => false,
    send: (channel: string, message: unknown) => {
      sends.push({ channel, message });
      pageListeners.get(channel)?.forEach((l) => l({}, structuredClone(message)));
    },
  };
  return { contents, sends };
}

describe('Electron snapshot path (main → preload → page)', () => {
  it('streams a fleet-wide change in batches and one beacon as one entry, and the page sees whole lists', async () => {
    const service = fakeService(viewSnapshot(fleet({ entries: 3, ts: 1 }), 1));
    const { contents, sends } = windowContents();
    const sentNow = () => sends.filter((x) => x.channel === SNAPSHOT_CHANNEL).map((x) => x.message as SnapshotMessage);
    const encoders = new Map();
    const frame = manualTimers();
    registerIpc(service as never, new Set([WINDOW_ID]), () => {}, encoders);
    forwardSnapshots(service as never, contents as never, encoders, frame.timers);

    const bridge = exposed.get('clawInstances') as HostBridge;
    expect(Object.keys(bridge).sort()).toEqual(['forgetMachine', 'getMachineHistory', 'getSettings', 'getSnapshot', 'onSnapshotMessage', 'pauseUpdates', 'refresh', 'resumeUpdates', 'saveSettings']);
    const api = decodeBridge(bridge);
    const seen: ViewSnapshot[] = [];
    api.onSnapshot((s) => seen.push(s));
    expect(onlyGateway(await api.getSnapshot()).entries).toEqual(fleet({ entries: 3, ts: 1 }));

    const n = MAX_ENTRIES_PER_MESSAGE * 2 + 10;
    service.publish(viewSnapshot(fleet({ entries: n, ts: 2 }), 2));
    // The window's getSnapshot answer named the gateways and held the list: the stream goes on
    // from it, with the gateway's batches, then its list.
    expect(sentNow().map((m) => (m.kind === 'gateway' ? m.message.kind : m.kind))).toEqual(['entries', 'entries', 'list']);
    expect(seen).toHaveLength(1);
    expect(onlyGateway(seen[0]!).entries).toEqual(fleet({ entries: n, ts: 2 }));

    const beacon = fleet({ entries: n, ts: 2 });
    beacon[5] = { ...beacon[5]!, ts: 3 };
    service.publish(viewSnapshot(beacon, 3));
    // Inside a frame of the last push: held, then sent as the newest snapshot (at most one push per frame).
    expect(seen).toHaveLength(1);
    frame.advance(WINDOW_PUSH_INTERVAL_MS);
    expect(seen).toHaveLength(2);
    expect(sentNow().at(-1)).toMatchObject({ kind: 'gateway', message: { kind: 'list', changed: { keys: [], entries: [], patched: { keys: ['h-5'], fields: [{ ts: 3 }] } } } });
    expect(onlyGateway(seen[1]!).entries).toEqual(beacon);
    expect(onlyGateway(seen[1]!).entries.filter((e, i) => e !== onlyGateway(seen[0]!).entries[i])).toHaveLength(1);
  });

  it('sends a hidden window nothing, and on resume one catch-up to the newest list', async () => {
    const service = fakeService(viewSnapshot(fleet({ entries: 3, ts: 1 }), 1));
    const { contents, sends: sent } = windowContents();
    const encoders = new Map();
    const frame = manualTimers();
    const unregister = registerIpc(service as never, new Set([WINDOW_ID]), () => {}, encoders);
    forwardSnapshots(service as never, contents as never, encoders, frame.timers);
    const api = decodeBridge(exposed.get('clawInstances') as HostBridge);
    const seen: ViewSnapshot[] = [];
    api.onSnapshot((s) => seen.push(s));
    await api.getSnapshot();
    await api.pauseUpdates();
    for (let v = 2; v <= 4; v += 1) {
      service.publish(viewSnapshot(fleet({ entries: 3 + v, ts: v }), v));
      frame.advance(WINDOW_PUSH_INTERVAL_MS);
    }
    expect(sent).toEqual([]);
    expect(seen).toHaveLength(0);
    sentToSender.length = 0;
    await api.resumeUpdates();
    expect(sentToSender.length).toBeGreaterThan(0);
    expect(onlyGateway(seen.at(-1)!).entries).toEqual(fleet({ entries: 7, ts: 4 }));
    // And the stream goes on through the forwarder.
    service.publish(viewSnapshot(fleet({ entries: 8, ts: 5 }), 5));
    frame.advance(WINDOW_PUSH_INTERVAL_MS);
    expect(sent.length).toBeGreaterThan(0);
    expect(onlyGateway(seen.at(-1)!).entries).toEqual(fleet({ entries: 8, ts: 5 }));
    unregister();
  });
});
