/** Window snapshots and fleets of entries, for tests of the stream and the page's bridge. */
import type { ViewSnapshot } from '../../shared/ipc/contract.js';
import type { ReceivedEntry } from '../../shared/client/view-state.js';
import { DEFAULT_STATUS_THRESHOLDS } from '../../shared/presence/status.js';

export function viewSnapshot(entries: ReceivedEntry[], listVersion: number, over: Partial<ViewSnapshot> = {}): ViewSnapshot {
  return {
    connection: { kind: 'connected', url: 'ws://g', serverVersion: '1', scopes: [] },
    entries,
    listVersion,
    clockOffsetMs: 0,
    self: { instanceId: 'i', deviceId: 'd' },
    gateway: { kind: 'remote', url: 'ws://g' },
    gatewayNowMs: 1,
    statusThresholds: DEFAULT_STATUS_THRESHOLDS,
    ...over,
  };
}

/** `n` entries keyed by instanceId (`i0`, `i1`, …), all at `ts`. */
export function fleetEntries(n: number, ts: number): ReceivedEntry[] {
  return Array.from({ length: n }, (_, i) => ({ host: `h${i}`, instanceId: `i${i}`, ts, text: '' }));
}
