import { describe, expect, it, vi } from 'vitest';
import { createStore } from '../../../renderer/store.js';
import { manualTimers } from '../../helpers/manual-timers.js';
import type { InstancesApi } from '../../../shared/ipc/bridge.js';
import type { ViewSnapshot } from '../../../shared/ipc/contract.js';
import { SnapshotDecoder } from '../../../shared/ipc/snapshot-stream.js';
import { gatewayView, onlyGateway, snapshotOf, viewSnapshot } from '../../helpers/view-snapshot.js';
import type { GatewayView } from '../../../shared/ipc/contract.js';

/** The page's API over a real decoder: each push is a whole snapshot read, as after a resync. */
function fakeApi(): InstancesApi & { push(s: ViewSnapshot): void } {
  const listeners = new Set<(s: ViewSnapshot) => void>();
  const decoder = new SnapshotDecoder();
  return {
    getSnapshot: () => new Promise(() => {}),
    onSnapshot: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    pauseUpdates: async () => {},
    resumeUpdates: async () => {},
    refresh: async () => {},
    getSettings: () => new Promise(() => {}),
    saveSettings: async () => ({ ok: false, error: 'n/a' }),
    getMachineHistory: async (key) => ({ key, statusChanges: [], stats: [] }),
    forgetMachine: async () => {},
    push: (s) => {
      const decoded = decoder.load(s);
      listeners.forEach((l) => l(decoded));
    },
  };
}

const base = (over: Partial<GatewayView>): ViewSnapshot => viewSnapshot([{ host: 'a', ts: 1000, text: '' }], 1, { listReceivedAtMs: 5, gatewayNowMs: 10_000, ...over });

describe('renderer store', () => {
  it('keeps the core clock, whatever this page clock says (each gateway adds its own offset)', () => {
    let pageNow = 999_999_999;
    const store = createStore(() => pageNow);
    const api = fakeApi();
    const detach = store.attach(api);
    api.push(base({ gatewayNowMs: 10_000, clockOffsetMs: 4_000 }));
    expect(store.getState().coreNowMs).toBe(6_000);
    expect(store.getState().coreOffsetMs).toBe(6_000 - pageNow);
    pageNow += 3_000;
    api.push(base({ gatewayNowMs: 13_000, clockOffsetMs: 4_000 }));
    expect(store.getState().coreNowMs).toBe(9_000);
    detach();
  });

  it('keeps a gateway that did not change as the same object when another one changes', () => {
    const store = createStore(() => 0);
    const api = fakeApi();
    const detach = store.attach(api);
    const home = gatewayView([{ host: 'a', ts: 1, text: '' }], 1, { id: 'home' });
    api.push(snapshotOf(home, gatewayView([{ host: 'w', ts: 1, text: '' }], 1, { id: 'work' })));
    const first = store.getState().snapshot!;
    api.push(snapshotOf({ ...home, lastBeacon: { atMs: 2, reason: 'periodic', ok: true } }, gatewayView([{ host: 'w2', ts: 2, text: '' }], 2, { id: 'work' })));
    const next = store.getState().snapshot!;
    expect(next.gateways[0]!.entries).toBe(first.gateways[0]!.entries);
    expect(next.gateways[1]!.entries[0]!.host).toBe('w2');
    detach();
  });

  it('keeps the same list object when only the connection or beacon report changed', () => {
    const store = createStore(() => 0);
    const api = fakeApi();
    const detach = store.attach(api);
    api.push(base({}));
    const first = onlyGateway(store.getState().snapshot!).entries;
    api.push(base({ entries: [{ host: 'a', ts: 1000, text: '' }], lastBeacon: { atMs: 1, reason: 'periodic', ok: true } }));
    expect(onlyGateway(store.getState().snapshot!).entries).toBe(first);
    expect(onlyGateway(store.getState().snapshot!).lastBeacon?.reason).toBe('periodic');
    api.push(base({ entries: [{ host: 'b', ts: 2000, text: '' }], listReceivedAtMs: 6, listVersion: 2 }));
    expect(onlyGateway(store.getState().snapshot!).entries[0]!.host).toBe('b');
    detach();
  });

  it('keeps known nodes and remembered machines as the same objects while they are the same read', () => {
    const store = createStore(() => 0);
    const api = fakeApi();
    const detach = store.attach(api);
    const remembered = [{ key: 'd:x', firstSeenAtMs: 1, lastSeenAtMs: 2, entry: { host: 'x', ts: 2, text: '' } }];
    api.push(base({ known: { nodes: [{ nodeId: 'n' }], readAtMs: 7 }, remembered }));
    const first = onlyGateway(store.getState().snapshot!);
    api.push(base({ known: { nodes: [{ nodeId: 'n' }], readAtMs: 7 }, remembered: remembered.map((r) => ({ ...r })), lastBeacon: { atMs: 3, reason: 'periodic', ok: true } }));
    expect(onlyGateway(store.getState().snapshot!).known).toBe(first.known);
    expect(onlyGateway(store.getState().snapshot!).remembered).toBe(first.remembered);
    api.push(base({ known: { nodes: [], readAtMs: 8 }, remembered: [{ ...remembered[0]!, lastSeenAtMs: 5 }] }));
    expect(onlyGateway(store.getState().snapshot!).known?.nodes).toEqual([]);
    expect(onlyGateway(store.getState().snapshot!).remembered![0]!.lastSeenAtMs).toBe(5);
    detach();
  });
});

describe('renders per frame', () => {
  it('tells at once after a quiet spell, and once per frame with the newest state during a storm', () => {
    const f = manualTimers();
    // One frame (16.7 ms) later; the store waits the rest of the frame since it last told.
    const frame = () => f.advance(17);
    const store = createStore(() => 0, undefined, f.timers);
    const api = fakeApi();
    const detach = store.attach(api);
    const seen: string[] = [];
    store.subscribe(() => seen.push(onlyGateway(store.getState().snapshot!).entries[0]!.host!));
    const push = (host: string, version: number) => api.push(viewSnapshot([{ host, ts: version, text: '' }], version));
    push('first', 1);
    expect(seen).toEqual(['first']);
    // Three more within the same frame: the state follows each, the window is told once, at the frame.
    push('second', 2);
    push('third', 3);
    push('fourth', 4);
    expect(onlyGateway(store.getState().snapshot!).entries[0]!.host).toBe('fourth');
    expect(seen).toEqual(['first']);
    frame();
    expect(seen).toEqual(['first', 'fourth']);
    // Quiet for a while: the next one is drawn at once again.
    f.advance(100);
    push('fifth', 5);
    expect(seen).toEqual(['first', 'fourth', 'fifth']);
    frame();
    expect(seen).toEqual(['first', 'fourth', 'fifth']);
    detach();
  });
});

describe('prepares before it tells', () => {
  it('runs each step in a task of its own with the newest state, then tells once; a failing step loses nothing', () => {
    const f = manualTimers();
    const tasks: Array<() => void> = [];
    const runTask = () => tasks.shift()!();
    let hidden = false;
    const visibility = { isHidden: () => hidden, onChange: () => () => {} };
    const store = createStore(() => 0, visibility, f.timers, (fn) => tasks.push(fn));
    const api = fakeApi();
    const detach = store.attach(api);
    const log: string[] = [];
    const hostNow = () => onlyGateway(store.getState().snapshot!).entries[0]!.host!;
    store.subscribe(() => log.push(`told ${hostNow()}`));
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    store.setPrepare([
      (s) => log.push(`index ${onlyGateway(s.snapshot!).entries[0]!.host}`),
      () => {
        throw new Error('a bug in a warm-up');
      },
      (s) => log.push(`sort ${onlyGateway(s.snapshot!).entries[0]!.host}`),
    ]);
    const push = (host: string, version: number) => api.push(viewSnapshot([{ host, ts: version, text: '' }], version));

    push('first', 1);
    expect(log).toEqual([]);
    runTask();
    expect(log).toEqual(['index first']);
    // A newer list while the steps run (within the frame: the window is not told of it on its own).
    push('second', 2);
    runTask();
    runTask();
    expect(log).toEqual(['index first', 'sort second', 'told second']);
    // The frame's turn, held for 'second' while the steps ran: the window has it already.
    f.advance(100);
    expect(tasks).toHaveLength(0);
    expect(quiet).toHaveBeenCalledTimes(1);

    // Hidden midway: nothing is told, and no more steps run.
    log.length = 0;
    f.advance(100);
    push('third', 3);
    hidden = true;
    runTask();
    expect(log).toEqual([]);
    expect(tasks).toHaveLength(0);

    // Without steps the store tells at once, as before.
    hidden = false;
    store.setPrepare(undefined);
    f.advance(100);
    push('fourth', 4);
    expect(log).toEqual(['told fourth']);
    quiet.mockRestore();
    detach();
  });
});

describe('hidden, the window asks for nothing', () => {
  it('pauses the core when hidden and resumes it when shown; a page that opens hidden pauses after its first snapshot', async () => {
    const f = manualTimers();
    let hidden = true;
    let changed = () => {};
    const visibility = { isHidden: () => hidden, onChange: (l: () => void) => ((changed = l), () => {}) };
    const calls: string[] = [];
    const api: InstancesApi = {
      ...fakeApi(),
      getSnapshot: async () => (calls.push('getSnapshot'), base({})),
      pauseUpdates: async () => void calls.push('pause'),
      resumeUpdates: async () => void calls.push('resume'),
    };
    const store = createStore(() => 0, visibility, f.timers, (fn) => fn());
    const detach = store.attach(api);
    expect(calls).toEqual(['getSnapshot', 'pause']);
    hidden = false;
    changed();
    hidden = true;
    changed();
    expect(calls).toEqual(['getSnapshot', 'pause', 'resume', 'pause']);
    detach();
  });
});
