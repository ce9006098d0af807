/** The machine table's columns (see `columns.ts`): header, cells and filter read this list. */
import type { ColumnDef } from './columns.js';
import type { MachineSortColumn } from '../../shared/view/machine-list.js';
import type { FleetMachineRow } from '../../shared/view/fleet.js';
import { GatewayChip } from './gateway-chip.js';
import { MACHINE_STATUS_LABELS, machineName, machineSearchText } from '../../shared/view/machines.js';
import { deviceKind } from '../../shared/format/device.js';
import { prettyPlatform } from '../../shared/format/platform.js';
import { hostStatsLine } from '../../shared/format/host-stats.js';
import { DeviceIcon } from './device-icon.js';
import { MachineStatusText } from './machine-status.js';
import { UpdatedText } from './updated-text.js';
import { ApprovalCommand } from './copy-button.js';
import { visibleText } from '../../shared/format/visible-text.js';

export interface MachineCellContext {
  /** The row's gateway's time at render (ages keep themselves current after). */
  readonly nowMs?: number;
  /** Several gateways: each row shows the chips of the gateways that list it. */
  readonly showGateways?: boolean;
}

type MachineRow = FleetMachineRow;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

function deviceLine(r: MachineRow): string | undefined {
  const f = r.machine.fields;
  const parts = [str(f.modelIdentifier), prettyPlatform(str(f.platform))].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
}

function MachineCell({ row, showGateways }: { row: MachineRow; showGateways: boolean }) {
  const m = row.machine;
  const host = str(m.fields.host);
  const line = deviceLine(row);
  return (
    <div className="instance">
      <DeviceIcon kind={deviceKind({ deviceFamily: str(m.fields.deviceFamily), platform: str(m.fields.platform), mode: m.isGateway ? 'gateway' : str(m.fields.mode) })} />
      <div className="instance-text">
        <span className={`host sensitive${host ? '' : ' unknown'}`}>{host !== undefined ? visibleText(host) : m.node ? visibleText(machineName(m)) : 'unknown host'}</span>
        {m.isSelf && <span className="tag">This device</span>}
        {m.isGateway && <span className="tag">Gateway</span>}
        {m.approval && (
          <>
            <span className="tag tag-warn" data-testid="approval">Waiting for approval</span>
            <ApprovalCommand requestId={m.approval.requestId} />
          </>
        )}
        {line && <span className="sub">{line}</span>}
        {showGateways && (
          <span className="gateway-chips" aria-label="Gateways">
            {row.parts.map((p) => (
              <GatewayChip key={p.gateway.id} gateway={p.gateway} dim={!p.gateway.live} />
            ))}
          </span>
        )}
      </div>
    </div>
  );
}

export const MACHINE_COLUMNS: ReadonlyArray<ColumnDef<MachineRow, MachineSortColumn, MachineCellContext>> = [
  {
    id: 'machine',
    label: 'Machine',
    sortKey: 'name',
    filterText: (r) => [machineName(r.machine), str(r.machine.fields.modelIdentifier), str(r.machine.fields.platform), str(r.machine.fields.deviceFamily), str(r.machine.fields.instanceId), str(r.machine.fields.deviceId), ...r.parts.map((p) => p.gateway.name)].filter(Boolean).join('\n'),
    cell: (r, ctx) => <MachineCell row={r} showGateways={ctx.showGateways ?? false} />,
  },
  {
    id: 'status',
    label: 'Status',
    sortKey: 'status',
    filterText: (r) => MACHINE_STATUS_LABELS[r.state.status],
    cell: (r, ctx) => <MachineStatusText state={r.state} nowMs={ctx.nowMs} />,
  },
  {
    id: 'connections',
    label: 'Connections',
    sortKey: 'connections',
    filterText: (r) => r.machine.entries.map((e) => [str(e.clientId), e.mode].filter(Boolean).join(' ')).join('\n'),
    cell: (r) => r.machine.entries.length,
    className: 'num',
    hideWhenNarrow: true,
  },
  { id: 'ip', label: 'IP', sortKey: 'ip', filterText: (r) => str(r.machine.fields.ip), cell: (r) => str(r.machine.fields.ip) ?? '—', className: 'mono sensitive' },
  { id: 'version', label: 'Version', sortKey: 'version', filterText: (r) => str(r.machine.fields.version), cell: (r) => str(r.machine.fields.version) ?? '—', hideWhenNarrow: true },
  {
    id: 'host',
    label: 'Load · Mem · Disk',
    sortKey: 'load',
    cell: (r) => hostStatsLine(r.machine.hostStats) ?? '—',
    className: 'stats',
    hideWhenNarrow: true,
  },
  {
    id: 'updated',
    label: 'Updated',
    sortKey: 'updated',
    filterText: (r) => str(r.machine.fields.mode),
    cell: (r, ctx) => (r.machine.latestTs === undefined ? '—' : <UpdatedText ts={r.machine.latestTs} nowMs={ctx.nowMs} reason={r.machine.latestReason} />),
  },
];

// Filter text per row object: built once, reused until the row changes (rows are reused while unchanged).
const filterTextCache = new WeakMap<object, string>();

/** A row's lower-cased text for the filter, from every column's `filterText` (status excepted: it follows the clock). */
export function machineFilterText(r: MachineRow): string {
  let text = filterTextCache.get(r);
  if (text === undefined) {
    text = [machineSearchText(r.machine), ...MACHINE_COLUMNS.filter((c) => c.id !== 'status').map((c) => c.filterText?.(r) ?? '')].join('\n').toLowerCase();
    filterTextCache.set(r, text);
  }
  return text;
}
