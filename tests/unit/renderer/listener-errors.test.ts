/**
 * The page's emitters (the bridge's snapshots, the store's changes): a component
 * whose listener throws neither keeps the others from the update nor stops the
 * bridge or the store; the error goes to the console, the page's only log.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeBridge } from '../../../renderer/bridge.js';
import { createStore } from '../../../renderer/store.js';
import type { HostBridge } from '../../../shared/ipc/bridge.js';
import type { ViewSnapshot } from '../../../shared/ipc/contract.js';
import { SnapshotEncoder, type SnapshotMessage } from '../../../shared/ipc/snapshot-stream.js';
import { onlyGateway, viewSnapshot } from '../../helpers/view-snapshot.js';
import { fleet } from '../../helpers/fleet.js';

afterEach(() => vi.restoreAllMocks());

/** A host that streams each published snapshot through a real encoder, as the shells do. */
function streamingHost(first: ViewSnapshot) {
  const encoder = new SnapshotEncoder();
  let current = first;
  let deliver: (m: SnapshotMessage) => void = () => {};
  const bridge: HostBridge = {
    getSnapshot: async () => {
      encoder.startFrom(current);
      return current;
    },
    onSnapshotMessage(listener) {
      deliver = listener;
      return () => (deliver = () => {});
    },
    pauseUpdates: async () => {},
    resumeUpdates: async () => {},
    refresh: async () => {},
    getSettings: () => new Promise(() => {}),
    saveSettings: async () => ({ ok: false, error: 'n/a' }),
    getMachineHistory: async (key) => ({ key, statusChanges: [], stats: [] }),
    forgetMachine: async () => {},
  };
  return {
    bridge,
    publish(next: ViewSnapshot) {
      current = next;
      for (const m of encoder.encode(next)) deliver(JSON.parse(JSON.stringify(m)) as SnapshotMessage);
    },
  };
}

describe('a throwing listener on the page', () => {
  it('leaves the bridge decoding and the other listeners fed', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const host = streamingHost(viewSnapshot(fleet({ entries: 2, ts: 1 }), 1));
    const api = decodeBridge(host.bridge);
    await api.getSnapshot();
    api.onSnapshot(() => {
      throw new Error('component broke');
    });
    const seen: ViewSnapshot[] = [];
    api.onSnapshot((s) => seen.push(s));
    host.publish(viewSnapshot(fleet({ entries: 3, ts: 1 }), 2));
    host.publish(viewSnapshot(fleet({ entries: 4, ts: 1 }), 3));
    expect(seen.map((s) => onlyGateway(s).entries.length)).toEqual([3, 4]);
    expect(errors).toHaveBeenCalledTimes(2);
    expect(String(errors.mock.calls[0]![1])).toContain('component broke');
  });

  it('leaves the store updating and the other subscribers told', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    // Changes a frame apart or more, so each one is told at once (store.test.ts covers the per-frame hold).
    let frameNow = 0;
    const store = createStore(() => 1000, undefined, { now: () => (frameNow += 100), setTimer: (fn) => fn(), clearTimer: () => {} });
    store.subscribe(() => {
      throw new Error('view broke');
    });
    let told = 0;
    store.subscribe(() => (told += 1));
    expect(() => store.setHostReachable(false)).not.toThrow();
    expect(store.getState().hostReachable).toBe(false);
    store.setHostReachable(true);
    expect(store.getState().hostReachable).toBe(true);
    expect(told).toBe(2);
    expect(errors).toHaveBeenCalledTimes(2);
    expect(String(errors.mock.calls[0]![1])).toContain('view broke');
  });
});
