/** Window snapshots, for tests of the stream and the page's bridge (fleets of entries: `fleet.ts`). */
import type { GatewayView, ViewSnapshot } from '../../shared/ipc/contract.js';
import type { ReceivedEntry } from '../../shared/client/view-state.js';
import { DEFAULT_STATUS_THRESHOLDS } from '../../shared/presence/status.js';

/** One gateway's view (id `g1` unless `over` says otherwise). */
export function gatewayView(entries: ReceivedEntry[], listVersion: number, over: Partial<GatewayView> = {}): GatewayView {
  return {
    id: 'g1',
    name: 'g',
    nameShowsAddress: false,
    colour: '#0072b2',
    source: 'settings',
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

/** A window snapshot of the given gateways' views. */
export function snapshotOf(...gateways: GatewayView[]): ViewSnapshot {
  return { gateways, self: { instanceId: 'i', deviceId: 'd' }, statusThresholds: DEFAULT_STATUS_THRESHOLDS };
}

/** A window snapshot with one gateway. */
export function viewSnapshot(entries: ReceivedEntry[], listVersion: number, over: Partial<GatewayView> = {}): ViewSnapshot {
  return snapshotOf(gatewayView(entries, listVersion, over));
}


/** The one gateway of a snapshot (tests of a core with one gateway); fails loudly otherwise. */
export function onlyGateway(s: ViewSnapshot): GatewayView {
  if (s.gateways.length !== 1) throw new Error(`expected one gateway, got ${s.gateways.map((g) => g.id).join(', ') || 'none'}`);
  return s.gateways[0]!;
}
