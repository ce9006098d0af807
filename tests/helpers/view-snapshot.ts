/** Window snapshots, for tests of the stream and the page's bridge (fleets of entries: `fleet.ts`). */
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
