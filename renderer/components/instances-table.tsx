import { memo, useCallback, useContext, useLayoutEffect, useRef, type KeyboardEvent, type RefObject } from 'react';
import { PrivacyContext } from '../privacy.js';
import { focusRow, rowsPerPage, useVirtualRows } from './virtual-rows.js';
import type { SortColumn, SortOrder } from '../../shared/view/rows.js';
import { fleetEntryStatus, type FleetEntryRow } from '../../shared/view/fleet.js';
import { entryColumn, type EntryColumnId } from '../../shared/view/entry-columns.js';
import { GatewayClock } from '../gateway-clock.js';
import { GatewayChip } from './gateway-chip.js';
import type { PresenceStatus, StatusThresholds } from '../../shared/presence/status.js';
import { prettyPlatform } from '../../shared/format/platform.js';
import { deviceKind } from '../../shared/format/device.js';
import { StatusBadge } from './status-badge.js';
import { DeviceIcon } from './device-icon.js';
import { UpdatedText } from './updated-text.js';
import { cellClass, type ColumnDef } from './columns.js';
import { visibleText } from '../../shared/format/visible-text.js';
import { ColumnHeaders } from './column-headers.js';
import { useClock } from '../clock.js';

export interface TableProps {
  /** Sorted and filtered; age and status are worked out only for the rows drawn. */
  readonly rows: readonly FleetEntryRow[];
  /** Core time at which statuses are drawn (the app moves it when one is due to change), each on its gateway's clock; ages keep themselves current. */
  readonly coreNowMs: number;
  /** Several gateways: rows show where they come from. */
  readonly showGateways?: boolean;
  readonly thresholds: StatusThresholds;
  readonly sort: SortOrder;
  readonly onSort: (column: SortColumn) => void;
  readonly selectedKey?: string;
  readonly onSelect: (key: string | undefined) => void;
  readonly offline: boolean;
  /** The scrolling container; only the rows in view (plus a margin) are in the DOM. */
  readonly scrollRef: RefObject<HTMLDivElement | null>;
}


type RowBase = FleetEntryRow;

function deviceLine(row: RowBase): string | undefined {
  const parts = [row.entry.modelIdentifier, prettyPlatform(row.entry.platform)].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
}

interface ConnectionCellContext {
  readonly status: PresenceStatus;
  /** The row's gateway's time, for ages where no live clock keeps them current (a table rendered on its own). */
  readonly nowMs?: number;
  readonly showGateways: boolean;
}

/** A shared column's id, label and sort (shared/view/entry-columns.ts): the CLI's `--list` prints the same. */
function fromShared(id: EntryColumnId): { id: string; label: string; sortKey?: SortColumn } {
  const c = entryColumn(id);
  return { id: c.id, label: c.label, ...(c.sortKey ? { sortKey: c.sortKey } : {}) };
}

/** A cell that is the shared column's text, or a dash when there is none. */
function textCell(id: EntryColumnId): (row: RowBase) => string {
  const c = entryColumn(id);
  return (row) => c.text(row.entry, 0) || '—';
}

/** The connection table's columns (see `columns.ts`); what each shows as text, and the filter, are in shared/view/entry-columns.ts. */
const COLUMNS: ReadonlyArray<ColumnDef<RowBase, SortColumn, ConnectionCellContext>> = [
  {
    ...fromShared('host'),
    cell: (row, ctx) => (
      <div className="instance">
        <DeviceIcon kind={deviceKind(row.entry)} />
        <div className="instance-text">
          <span className={`host sensitive${row.entry.host ? '' : ' unknown'}`}>{row.entry.host ? visibleText(row.entry.host) : 'unknown host'}</span>
          {row.isSelf && <span className="tag">This device</span>}
          {ctx.showGateways && <GatewayChip gateway={row.gateway} dim={!row.gateway.live} />}
          {row.looksDuplicate && (
            <span className="tag tag-warn" title="Same host name and no instanceId: a client that reconnects without a stable instanceId shows up again as a new row.">
              Possible duplicate
            </span>
          )}
          {deviceLine(row) && <span className="sub">{deviceLine(row)}</span>}
        </div>
      </div>
    ),
  },
  { ...fromShared('status'), cell: (_row, ctx) => <StatusBadge status={ctx.status} /> },
  { ...fromShared('ip'), cell: textCell('ip'), className: 'mono sensitive' },
  { ...fromShared('version'), cell: textCell('version'), hideWhenNarrow: true },
  { ...fromShared('mode'), cell: textCell('mode'), hideWhenNarrow: true },
  { ...fromShared('lastInput'), cell: textCell('lastInput') },
  {
    // The reason rides with the age here (the CLI gives it its own column).
    ...fromShared('updated'),
    cell: ({ entry: e }, ctx) => <UpdatedText ts={e.ts} nowMs={ctx.nowMs} reason={e.reason} />,
  },
];
// Worked out once, not per cell of every row drawn.
const CELL_CLASSES = COLUMNS.map(cellClass);

interface ConnectionRowProps {
  readonly row: RowBase;
  readonly status: PresenceStatus;
  readonly index: number;
  readonly selected: boolean;
  readonly tabbable: boolean;
  readonly nowMs?: number;
  readonly showGateways: boolean;
  readonly measure: (el: HTMLTableRowElement | null) => void;
  readonly onSelect: (key: string) => void;
  readonly onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>, index: number) => void;
}

const ConnectionRowView = memo(
  function ConnectionRowView({ row, status, index, selected, tabbable, nowMs, showGateways, measure, onSelect, onKeyDown }: ConnectionRowProps) {
    const e = row.entry;
    const privacy = useContext(PrivacyContext);
    const ctx: ConnectionCellContext = nowMs === undefined ? { status, showGateways } : { status, nowMs, showGateways };
    return (
      <tr
        data-key={row.key}
        data-index={index}
        ref={measure}
        aria-rowindex={index + 2}
        data-status={status}
        data-gateway={row.gateway.id}
        className={`${selected ? 'selected' : ''}${row.isSelf ? ' self' : ''}${row.gateway.live ? '' : ' last-known'}`}
        tabIndex={tabbable ? 0 : -1}
        aria-selected={selected}
        title={privacy ? undefined : e.text || undefined}
        onClick={() => onSelect(row.key)}
        onKeyDown={(event) => onKeyDown(event, index)}
      >
        <GatewayClock offsetMs={row.gateway.clockOffsetMs}>
          {COLUMNS.map((c, i) => (
            <td key={c.id} className={CELL_CLASSES[i]}>
              {c.cell(row, ctx)}
            </td>
          ))}
        </GatewayClock>
      </tr>
    );
  },
  // The list's row objects are made again on every update; what a row draws is its entry
  // (the same object while unchanged), key and flags. So one beacon re-renders one row.
  (a, b) =>
    a.row.entry === b.row.entry &&
    a.row.key === b.row.key &&
    a.row.gateway === b.row.gateway &&
    a.showGateways === b.showGateways &&
    a.row.isSelf === b.row.isSelf &&
    a.row.looksDuplicate === b.row.looksDuplicate &&
    a.status === b.status &&
    a.index === b.index &&
    a.selected === b.selected &&
    a.tabbable === b.tabbable &&
    a.nowMs === b.nowMs &&
    a.measure === b.measure &&
    a.onSelect === b.onSelect &&
    a.onKeyDown === b.onKeyDown,
);

export function InstancesTable({ rows, coreNowMs, thresholds, sort, onSort, selectedKey, onSelect, offline, scrollRef, showGateways = false }: TableProps) {
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  // With a live clock ages keep themselves current, so a row needn't re-render when the time moves.
  const ageNowMs = useClock() ? undefined : coreNowMs;
  // The virtualiser re-lays out every row when this function changes: keep it for the
  // life of a list, so a status tick doesn't redo 10,000 row positions.
  const getItemKey = useCallback((index: number) => rows[index]!.key, [rows]);
  // A fleet view can hold 10,000 rows; rendering only those in view keeps an update within a frame.
  const { virtualizer, headRef, items, padTop, padBottom } = useVirtualRows(rows.length, getItemKey, scrollRef, bodyRef);
  // Handlers read the latest list through a ref, so they stay the same functions and memoised rows skip.
  const latest = useRef({ rows, onSelect, virtualizer });
  useLayoutEffect(() => {
    latest.current = { rows, onSelect, virtualizer };
  });
  const select = useCallback((key: string | undefined) => latest.current.onSelect(key), []);
  const onKeyDown = useCallback((event: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    const { rows: all, onSelect: choose, virtualizer: v } = latest.current;
    const page = rowsPerPage(scrollRef.current);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + page, PageUp: index - page, Home: 0, End: all.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      const to = Math.min(all.length - 1, Math.max(0, moves[event.key]!));
      const key = all[to]?.key;
      if (!key) return;
      choose(key);
      v.scrollToIndex(to, { align: 'auto' });
      focusRow(bodyRef.current, key);
    } else if (event.key === 'Escape') choose(undefined);
  }, [scrollRef]);
  // Tab must always reach the table: the selected row if it is drawn, else the first row drawn.
  const selectedIndex = rows.findIndex((r) => r.key === selectedKey);
  const activeIndex = items.some((i) => i.index === selectedIndex) ? selectedIndex : (items[0]?.index ?? 0);

  return (
    // A grid, not a plain table: a screen reader announces a row's selection (aria-selected) only in a grid.
    <table role="grid" aria-readonly="true" className={`instances${offline ? ' offline' : ''}`} aria-label="Instances" aria-rowcount={rows.length + 1}>
      <thead ref={headRef}>
        <ColumnHeaders columns={COLUMNS} sort={sort} onSort={onSort} />
      </thead>
      <tbody ref={bodyRef}>
        {padTop > 0 && (
          <tr aria-hidden="true" className="spacer-row">
            <td colSpan={COLUMNS.length} style={{ height: padTop }} />
          </tr>
        )}
        {items.map((item) => {
          const index = item.index;
          const row = rows[index]!;
          return (
            <ConnectionRowView
              key={row.key}
              row={row}
              status={fleetEntryStatus(row, coreNowMs, thresholds)}
              index={index}
              selected={row.key === selectedKey}
              tabbable={index === activeIndex}
              {...(ageNowMs === undefined ? {} : { nowMs: ageNowMs + row.gateway.clockOffsetMs })}
              showGateways={showGateways}
              measure={virtualizer.measureElement}
              onSelect={select}
              onKeyDown={onKeyDown}
            />
          );
        })}
        {padBottom > 0 && (
          <tr aria-hidden="true" className="spacer-row">
            <td colSpan={COLUMNS.length} style={{ height: padBottom }} />
          </tr>
        )}
      </tbody>
    </table>
  );
}
