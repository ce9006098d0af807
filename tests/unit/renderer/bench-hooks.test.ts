/**
 * Benchmark timing is the benchmark's: the page times nothing unless a
 * benchmark installed `globalThis.__clawBenchHooks` before it loaded, and then
 * calls each hook at its point (bench/renderer-cost.ts turns them into User
 * Timing measures).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BenchHooks } from '../../../renderer/bench-hooks.js';
import type { HostBridge } from '../../../shared/ipc/bridge.js';
import type { ViewSnapshot } from '../../../shared/ipc/contract.js';
import { MAX_ENTRIES_PER_MESSAGE, SnapshotEncoder, type SnapshotMessage } from '../../../shared/ipc/snapshot-stream.js';
import { viewSnapshot } from '../../helpers/view-snapshot.js';
import { fleet } from '../../helpers/fleet.js';

/** A host that pushes the encoder's messages for each new snapshot, as both shells do. */
function pushingHost(first: ViewSnapshot) {
  const encoder = new SnapshotEncoder();
  let current = first;
  const listeners = new Set<(m: SnapshotMessage) => void>();
  const bridge: HostBridge = {
    getSnapshot: async () => {
      encoder.startFrom(current);
      return current;
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
    publish(next: ViewSnapshot) {
      current = next;
      for (const m of encoder.encode(next)) listeners.forEach((l) => l(structuredClone(m)));
    },
  };
}

/** Loads the page's bridge and store afresh, as a page load would, with whatever hooks are installed now. */
async function loadPage() {
  vi.resetModules();
  const { decodeBridge } = await import('../../../renderer/bridge.js');
  const { createStore } = await import('../../../renderer/store.js');
  return { decodeBridge, createStore };
}

/** Runs one fleet-wide change (several messages) and one beacon through the page's bridge into its store. */
async function runUpdates(page: Awaited<ReturnType<typeof loadPage>>) {
  const host = pushingHost(viewSnapshot(fleet({ entries: 3, ts: 1 }), 1));
  const api = page.decodeBridge(host.bridge);
  const store = page.createStore(() => 0, undefined);
  store.attach(api);
  await api.getSnapshot();
  host.publish(viewSnapshot(fleet({ entries: MAX_ENTRIES_PER_MESSAGE * 2 + 1, ts: 2 }), 2));
  const beacon = fleet({ entries: MAX_ENTRIES_PER_MESSAGE * 2 + 1, ts: 2 });
  beacon[0] = { ...beacon[0]!, ts: 3 };
  host.publish(viewSnapshot(beacon, 3));
  return store;
}

afterEach(() => {
  vi.unstubAllGlobals();
  delete (globalThis as { __clawBenchHooks?: BenchHooks }).__clawBenchHooks;
  performance.clearMarks();
  performance.clearMeasures();
});

describe('benchmark hooks', () => {
  it('without a benchmark, the page records no timing at all', async () => {
    performance.clearMeasures();
    performance.clearMarks();
    // A frame callback as a browser page has one, so timing that waits for the next frame would show too.
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => queueMicrotask(() => callback(performance.now())));
    const store = await runUpdates(await loadPage());
    // Let anything the updates queued for later (a frame, then a task) run first.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(store.getState().snapshot?.gateways[0]?.listVersion).toBe(3);
    expect(performance.getEntriesByType('measure')).toEqual([]);
    expect(performance.getEntriesByType('mark')).toEqual([]);
  });

  it('with hooks installed before load, calls each at its point: every message, each snapshot stored (the commit hook is in the App)', async () => {
    const calls: string[] = [];
    const hooks: BenchHooks = {
      messageReceived: () => calls.push('received'),
      snapshotStored: () => calls.push('stored'),
    };
    (globalThis as { __clawBenchHooks?: BenchHooks }).__clawBenchHooks = hooks;
    await runUpdates(await loadPage());
    // The store's first whole read (which named the gateways); the fleet: two batches of entries
    // ahead, then the list that completes it; the beacon: one list message.
    expect(calls).toEqual(['stored', 'received', 'received', 'received', 'stored', 'received', 'stored']);
  });
});
