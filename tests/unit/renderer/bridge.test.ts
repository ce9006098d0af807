import { describe, expect, it } from 'vitest';
import { decodeBridge } from '../../../renderer/bridge.js';
import type { HostBridge } from '../../../shared/ipc/bridge.js';
import type { ViewSnapshot } from '../../../shared/ipc/contract.js';
import { MAX_ENTRIES_PER_MESSAGE, SnapshotEncoder, type SnapshotMessage } from '../../../shared/ipc/snapshot-stream.js';
import { onlyGateway, viewSnapshot } from '../../helpers/view-snapshot.js';
import { fleet } from '../../helpers/fleet.js';

const wire = <T,>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const snap = viewSnapshot;


/** A host as the browser shell and the IPC handlers are: one encoder per window, going on from each whole snapshot the window reads. */
function memoryHost(first: ViewSnapshot) {
  let current = first;
  const encoder = new SnapshotEncoder();
  const listeners = new Set<(m: SnapshotMessage) => void>();
  let wholeReads = 0;
  const bridge: HostBridge = {
    getSnapshot: async () => {
      wholeReads += 1;
      encoder.startFrom(current);
      return wire(current);
    },
    onSnapshotMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
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
    get wholeReads() {
      return wholeReads;
    },
    /** The core's snapshot changed: the window gets the encoder's messages, one at a time, through JSON. */
    publish(next: ViewSnapshot, deliver = true) {
      current = next;
      const messages = encoder.encode(next);
      if (deliver) for (const m of messages) listeners.forEach((l) => l(wire(m)));
      return messages.length;
    },
  };
}

describe('the page side of the bridge', () => {
  it('hands the app whole snapshots only, a fleet-wide change once it is complete', async () => {
    const host = memoryHost(snap(fleet({ entries: 3, ts: 1 }), 1));
    const api = decodeBridge(host.bridge);
    const seen: ViewSnapshot[] = [];
    api.onSnapshot((s) => seen.push(s));
    expect(onlyGateway(await api.getSnapshot()).entries).toEqual(fleet({ entries: 3, ts: 1 }));

    const big = snap(fleet({ entries: MAX_ENTRIES_PER_MESSAGE * 3, ts: 2 }), 2);
    // Two batches ahead, then the list (the whole read already named the gateways).
    expect(host.publish(big)).toBe(3);
    expect(seen.map((s) => onlyGateway(s).entries.length)).toEqual([MAX_ENTRIES_PER_MESSAGE * 3]);
    expect(onlyGateway(seen[0]!).entries).toEqual(onlyGateway(big).entries);

    const afterBeacon = fleet({ entries: MAX_ENTRIES_PER_MESSAGE * 3, ts: 2 });
    afterBeacon[7] = { ...afterBeacon[7]!, ts: 9 };
    const beacon = snap(afterBeacon, 3);
    host.publish(beacon);
    expect(onlyGateway(seen[1]!).entries).toEqual(onlyGateway(beacon).entries);
    // Entries the beacon didn't touch are the objects the app already has.
    expect(onlyGateway(seen[1]!).entries.filter((e, i) => e !== onlyGateway(seen[0]!).entries[i])).toHaveLength(1);
    expect(host.wholeReads).toBe(1);
  });

  it('reads the whole snapshot again when a push refers to entries it never got', async () => {
    const host = memoryHost(snap(fleet({ entries: 2, ts: 1 }), 1));
    const api = decodeBridge(host.bridge);
    const seen: ViewSnapshot[] = [];
    api.onSnapshot((s) => seen.push(s));
    await api.getSnapshot();
    host.publish(snap(fleet({ entries: 4, ts: 1 }), 2));
    // Lost on the way (as if the window had been reloaded): the next push only names the new entry.
    host.publish(snap(fleet({ entries: 5, ts: 1 }), 3), false);
    host.publish(snap(fleet({ entries: 6, ts: 1 }), 4));
    await expect.poll(() => host.wholeReads).toBe(2);
    await expect.poll(() => (seen.at(-1) ? onlyGateway(seen.at(-1)!).entries.length : undefined)).toBe(6);
    expect(onlyGateway(seen.at(-1)!).entries).toEqual(fleet({ entries: 6, ts: 1 }));
  });
});
