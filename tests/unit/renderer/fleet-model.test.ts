/**
 * The window's fleet model works from the difference between updates (only the
 * gateways and rows that changed are merged, filtered, counted and placed). Its
 * result must be exactly what a model with no memory makes of the same snapshot.
 */
import { describe, expect, it } from 'vitest';
import type { ReceivedEntry } from '../../../shared/client/view-state.js';
import type { GatewayView } from '../../../shared/ipc/contract.js';
import { DEFAULT_STATUS_THRESHOLDS as T } from '../../../shared/presence/status.js';
import type { MachineSort, MachineSortColumn } from '../../../shared/view/machine-list.js';
import { MACHINE_STATUS_ORDER, machineSearchText, type Machine, type MachineStatus } from '../../../shared/view/machines.js';
import type { SortOrder } from '../../../shared/view/rows.js';
import { FleetModel, type ShownFilter } from '../../../renderer/fleet-model.js';
import { gatewayView, snapshotOf } from '../../helpers/view-snapshot.js';

const NOW = 2_000_000_000_000;
const text = (r: { machine: Machine }) => machineSearchText(r.machine);

function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

describe('the fleet model from the last update', () => {
  it('shows, counts and orders machines and connections exactly as a model without memory does, update after update', () => {
    const rnd = random(11);
    const pick = <X,>(xs: readonly X[]) => xs[Math.floor(rnd() * xs.length)]!;
    // Devices 0–39 appear on several gateways (one machine row each); some entries have only an instanceId.
    const entry = (g: number, i: number, now: number): ReceivedEntry =>
      (i % 10 === 9
        ? { instanceId: `inst-${g}-${i}`, host: pick([`solo-${i}`, 'same']), text: '', ts: now - Math.floor(rnd() * 400_000) }
        : {
            deviceId: `dev-${i % 40}`,
            host: pick([`Host-${i % 40}`, `host-${i % 40}`, 'same']),
            version: pick(['1.0', '1.10']),
            reason: pick(['periodic', 'periodic', 'disconnect']),
            text: '',
            ts: now - Math.floor(rnd() * 400_000),
          }) as ReceivedEntry;
    const ids = ['ga', 'gb', 'gc', 'gd'];
    let now = NOW;
    const lists = ids.map((_, g) => Array.from({ length: 30 }, (_, i) => entry(g, i + g * 7, now)));
    let views: GatewayView[] = ids.map((id, g) => gatewayView(lists[g]!, 1, { id, name: id, gatewayNowMs: now, clockOffsetMs: g * 1000 }));
    const incremental = new FleetModel();
    let filter: ShownFilter = { query: '', showGone: true };
    let sort: MachineSort = { column: 'default', direction: 'asc' };
    let connectionOrder: SortOrder = { column: 'updated', direction: 'asc' };
    const columns: MachineSortColumn[] = ['default', 'name', 'status', 'updated', 'connections'];
    for (let round = 0; round < 150; round += 1) {
      const what = pick(['beacon', 'beacon', 'beacon', 'many', 'leave', 'down', 'up', 'clock', 'clock', 'filter', 'sort']);
      const g = Math.floor(rnd() * ids.length);
      const view = views[g]!;
      let next: GatewayView = view;
      if (what === 'beacon' || what === 'many' || what === 'leave') {
        let list = [...view.entries];
        const count = what === 'many' ? 20 : 1;
        for (let k = 0; k < count; k += 1) {
          const i = Math.floor(rnd() * 45);
          const at = list.findIndex((e) => e.deviceId === `dev-${i % 40}` || e.instanceId === `inst-${g}-${i}`);
          if (what === 'leave') {
            if (at >= 0) list.splice(at, 1);
          } else if (at >= 0) list[at] = { ...entry(g, i, now), ts: now };
          else list = [{ ...entry(g, i, now), ts: now }, ...list];
        }
        next = { ...view, entries: list, listVersion: view.listVersion + 1 };
      } else if (what === 'down') next = { ...view, connection: { kind: 'reconnecting', url: 'ws://g', attempt: 1, retryAtMs: now + 5000, lastError: 'x' }, listReceivedAtMs: now };
      else if (what === 'up') next = gatewayView([...view.entries], view.listVersion, { id: view.id, name: view.name, gatewayNowMs: now, clockOffsetMs: view.clockOffsetMs });
      else if (what === 'clock') now += pick([1_000, 60_000, 130_000]);
      else if (what === 'filter')
        filter = pick<ShownFilter>([
          { query: '', showGone: true },
          { query: 'host-1', showGone: true },
          { query: '', showGone: false, status: pick<MachineStatus>(MACHINE_STATUS_ORDER) },
          { query: '', showGone: true, gatewayId: pick(ids) },
        ]);
      else {
        sort = { column: pick(columns), direction: pick(['asc', 'desc'] as const) };
        connectionOrder = { column: pick(['updated', 'host', 'mode'] as const), direction: pick(['asc', 'desc'] as const) };
      }
      views = views.map((v, i) => (i === g ? next : v));
      const snapshot = snapshotOf(...views);

      const run = (model: FleetModel) => {
        const machines = model.machineRows(model.folds(snapshot), now, T);
        const { rows, counts } = model.shown(machines, filter, sort, text);
        const connections = model.sortedEntries(model.entryRows(model.indexes(snapshot)), connectionOrder, filter.gatewayId);
        return {
          connections: connections.map((r) => `${r.key} ${r.gateway.live}`),
          rows: rows.map((r) => `${r.key} ${r.state.status} ${r.state.sinceMs} [${r.parts.map((p) => `${p.gateway.id}${p.gateway.live ? '' : '(down)'}:${p.row.state.status}`).join(' ')}]`),
          counts,
          next: machines.nextChangeAtMs,
        };
      };
      expect(run(incremental), `round ${round} (${what} on ${ids[g]})`).toEqual(run(new FleetModel()));
    }
  });

  it("gives a gateway's chip a new tag when only whether its name shows its address changed (its URL did)", () => {
    const model = new FleetModel();
    const named = (nameShowsAddress: boolean) => gatewayView([], 1, { id: 'g', name: 'gw', nameShowsAddress });
    const before = model.tag(named(false));
    expect(model.tag(named(false))).toBe(before);
    expect(model.tag(named(true)).nameShowsAddress).toBe(true);
  });
});
