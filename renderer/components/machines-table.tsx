/**
 * One row per machine (the default view). A row expands, by its disclosure
 * button or from the keyboard (ArrowRight / ArrowLeft, Enter), to list every
 * connection folded into it. Virtualised: only rows in view are in the DOM.
 *
 * Why rows are memoised: a beacon changes one machine of thousands, and the fold
 * and the row list keep every other row's object; a row re-renders only when its
 * machine, status, selection or expansion changed.
 */
import { memo, useCallback, useContext, useLayoutEffect, useMemo, useRef, type KeyboardEvent, type RefObject } from 'react';
import { PrivacyContext } from '../privacy.js';
import { focusRow, rowsPerPage, useVirtualRows } from './virtual-rows.js';
import type { ReceivedEntry } from '../../shared/client/view-state.js';
import type { MachineSort, MachineSortColumn } from '../../shared/view/machine-list.js';
import type { FleetMachineRow } from '../../shared/view/fleet.js';
import { GatewayClock } from '../gateway-clock.js';
import { reasonLabel } from '../../shared/format/reason.js';
import { MACHINE_COLUMNS, type MachineCellContext } from './machine-columns.js';
import { Age } from './age.js';
import { ColumnHeaders } from './column-headers.js';
import { cellClass } from './columns.js';

// Worked out once, not per cell of every row drawn.
const CELL_CLASSES = MACHINE_COLUMNS.map(cellClass);

export interface MachinesTableProps {
  /** Filtered and ordered. */
  readonly rows: readonly FleetMachineRow[];
  readonly sort: MachineSort;
  readonly onSort: (column: MachineSortColumn) => void;
  readonly selectedKey?: string;
  readonly onSelect: (key: string | undefined) => void;
  readonly expanded: ReadonlySet<string>;
  readonly onExpand: (key: string, open: boolean) => void;
  readonly offline: boolean;
  readonly scrollRef: RefObject<HTMLDivElement | null>;
  /** Core time at render; ages keep themselves current after it. */
  readonly nowMs?: number;
  /** Several gateways: rows show where they come from. */
  readonly showGateways?: boolean;
}

/** A line of the table: a machine's row, or one of its connections under it when expanded. */
interface EntryItem {
  readonly kind: 'entry';
  readonly key: string;
  readonly row: FleetMachineRow;
  readonly entry: ReceivedEntry;
}
// A machine's line is its row itself: with nothing expanded, the rows are the lines (no copy of 10,000 per update).
type Item = FleetMachineRow | EntryItem;
const isEntry = (item: Item): item is EntryItem => (item as Partial<EntryItem>).kind === 'entry';

const COLS = MACHINE_COLUMNS.length;

function flatten(rows: readonly FleetMachineRow[], expanded: ReadonlySet<string>): readonly Item[] {
  if (expanded.size === 0) return rows;
  const items: Item[] = [];
  for (const row of rows) {
    const key = row.key;
    items.push(row);
    if (expanded.has(key)) row.machine.entries.forEach((entry, i) => items.push({ kind: 'entry', key: `${key}\u0000${i}`, row, entry }));
  }
  return items;
}

const list = (v: unknown): string | undefined => (Array.isArray(v) && v.length ? v.join(', ') : undefined);

interface MachineRowProps {
  readonly row: FleetMachineRow;
  readonly index: number;
  readonly selected: boolean;
  readonly expanded: boolean;
  readonly tabbable: boolean;
  readonly ctx: MachineCellContext;
  readonly measure: (el: HTMLTableRowElement | null) => void;
  readonly onClick: (key: string) => void;
  readonly onToggle: (key: string) => void;
  readonly onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>, key: string) => void;
}

const MachineRowView = memo(function MachineRowView({ row, index, selected, expanded, tabbable, ctx, measure, onClick, onToggle, onKeyDown }: MachineRowProps) {
  const m = row.machine;
  const key = row.key;
  const canExpand = m.entries.length > 0;
  const offset = row.gateway.clockOffsetMs;
  const privacy = useContext(PrivacyContext);
  const rowCtx = useMemo(() => (ctx.nowMs === undefined || offset === 0 ? ctx : { ...ctx, nowMs: ctx.nowMs + offset }), [ctx, offset]);
  return (
    <tr
      data-key={key}
      data-gateway={row.gateway.id}
      data-index={index}
      ref={measure}
      aria-rowindex={index + 2}
      aria-level={1}
      data-status={row.state.status}
      className={`machine-row${selected ? ' selected' : ''}${m.isSelf ? ' self' : ''}${row.gateway.live ? '' : ' last-known'}`}
      tabIndex={tabbable ? 0 : -1}
      aria-selected={selected}
      aria-expanded={canExpand ? expanded : undefined}
      title={!privacy && typeof m.fields.text === 'string' && m.fields.text ? m.fields.text : undefined}
      onClick={() => onClick(key)}
      onKeyDown={(event) => onKeyDown(event, key)}
    >
      <GatewayClock offsetMs={offset}>
      {MACHINE_COLUMNS.map((c, i) => (
        <td key={c.id} className={CELL_CLASSES[i]}>
          {i === 0 ? (
            <div className="machine-first">
              <button
                type="button"
                className="disclosure"
                tabIndex={-1}
                aria-label={expanded ? 'Hide connections' : 'Show connections'}
                aria-expanded={expanded}
                disabled={!canExpand}
                onClick={(event) => {
                  event.stopPropagation();
                  onToggle(key);
                }}
              >
                <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
              </button>
              {c.cell(row, rowCtx)}
            </div>
          ) : (
            c.cell(row, rowCtx)
          )}
        </td>
      ))}
      </GatewayClock>
    </tr>
  );
});

const EntryRowView = memo(function EntryRowView({ entry, index, nowMs, offsetMs, measure }: { entry: ReceivedEntry; index: number; nowMs?: number; offsetMs: number; measure: (el: HTMLTableRowElement | null) => void }) {
  const reason = reasonLabel(entry.reason);
  const parts: Array<[string, string | undefined]> = [
    ['mode', entry.mode],
    ['client', typeof entry.clientId === 'string' ? entry.clientId : undefined],
    ['roles', list(entry.roles)],
    ['scopes', list(entry.scopes)],
    ['reason', reason],
  ];
  return (
    <tr className="entry-row" data-index={index} ref={measure} aria-rowindex={index + 2} aria-level={2}>
      <td />
      <td colSpan={COLS - 1}>
        <div className="entry-line">
          {parts.map(([label, value]) => (
            <span key={label} className="entry-field">
              <span className="entry-label">{label}</span> {value ?? '—'}
            </span>
          ))}
          <span className="entry-field">
            <span className="entry-label">updated</span>{' '}
            <GatewayClock offsetMs={offsetMs}>
              <Age sinceMs={entry.ts} nowMs={nowMs === undefined ? undefined : nowMs + offsetMs} suffix=" ago" />
            </GatewayClock>
          </span>
        </div>
      </td>
    </tr>
  );
});

export function MachinesTable({ rows, sort, onSort, selectedKey, onSelect, expanded, onExpand, offline, scrollRef, nowMs, showGateways = false }: MachinesTableProps) {
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const items = useMemo(() => flatten(rows, expanded), [rows, expanded]);
  const getItemKey = useCallback((index: number) => items[index]!.key, [items]);
  const { virtualizer, headRef, items: virtualItems, padTop, padBottom } = useVirtualRows(items.length, getItemKey, scrollRef, bodyRef);
  // Handlers read the latest items through a ref, so they stay the same functions and memoised rows skip.
  const latest = useRef({ items, expanded, onSelect, onExpand, virtualizer });
  useLayoutEffect(() => {
    latest.current = { items, expanded, onSelect, onExpand, virtualizer };
  });

  const onClick = useCallback((key: string) => latest.current.onSelect(key), []);
  const onToggle = useCallback((key: string) => latest.current.onExpand(key, !latest.current.expanded.has(key)), []);
  const onKeyDown = useCallback((event: KeyboardEvent<HTMLTableRowElement>, key: string) => {
    const { items: all, expanded: open, onSelect: select, onExpand: expand, virtualizer: v } = latest.current;
    const machineIndexes: number[] = [];
    all.forEach((it, i) => !isEntry(it) && machineIndexes.push(i));
    const at = machineIndexes.findIndex((i) => all[i]!.key === key);
    const focusAt = (pos: number) => {
      const index = machineIndexes[Math.min(machineIndexes.length - 1, Math.max(0, pos))];
      if (index === undefined) return;
      const target = all[index]!.key;
      select(target);
      v.scrollToIndex(index, { align: 'auto' });
      focusRow(bodyRef.current, target);
    };
    const item = all[machineIndexes[at] ?? -1];
    const hasEntries = item !== undefined && !isEntry(item) && item.machine.entries.length > 0;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        return focusAt(at + 1);
      case 'ArrowUp':
        event.preventDefault();
        return focusAt(at - 1);
      case 'PageDown':
        event.preventDefault();
        return focusAt(at + rowsPerPage(scrollRef.current));
      case 'PageUp':
        event.preventDefault();
        return focusAt(at - rowsPerPage(scrollRef.current));
      case 'Home':
        event.preventDefault();
        return focusAt(0);
      case 'End':
        event.preventDefault();
        return focusAt(machineIndexes.length - 1);
      case 'ArrowRight':
        event.preventDefault();
        if (hasEntries && !open.has(key)) expand(key, true);
        return;
      case 'ArrowLeft':
        event.preventDefault();
        if (open.has(key)) expand(key, false);
        return;
      case 'Enter':
        event.preventDefault();
        select(key);
        if (hasEntries) expand(key, !open.has(key));
        return;
      case 'Escape':
        select(undefined);
        return;
      default:
        return;
    }
  }, [scrollRef]);

  const ctx = useMemo<MachineCellContext>(() => ({ ...(nowMs === undefined ? {} : { nowMs }), showGateways }), [nowMs, showGateways]);
  const selectedIndex = selectedKey === undefined ? -1 : items.findIndex((it) => !isEntry(it) && it.key === selectedKey);
  // Tab must always reach the table: the selected machine if it is drawn, else the first machine drawn.
  const drawnMachine = (i: number) => virtualItems.some((v) => v.index === i) && !isEntry(items[i]!);
  const tabbableKey = selectedIndex >= 0 && drawnMachine(selectedIndex) ? selectedKey : items[virtualItems.find((v) => drawnMachine(v.index))?.index ?? 0]?.key;

  return (
    // A treegrid: a screen reader announces a machine row's selection and whether its connections are
    // shown (aria-expanded) only in one, and reads the connection rows as one level down.
    <table role="treegrid" aria-readonly="true" className={`instances machines${offline ? ' offline' : ''}`} aria-label="Machines" aria-rowcount={items.length + 1}>
      <thead ref={headRef}>
        <ColumnHeaders columns={MACHINE_COLUMNS} sort={sort} onSort={onSort} />
      </thead>
      <tbody ref={bodyRef}>
        {padTop > 0 && (
          <tr aria-hidden="true" className="spacer-row">
            <td colSpan={COLS} style={{ height: padTop }} />
          </tr>
        )}
        {virtualItems.map((v) => {
          const item = items[v.index]!;
          return !isEntry(item) ? (
            <MachineRowView
              key={item.key}
              row={item}
              index={v.index}
              selected={item.key === selectedKey}
              expanded={expanded.has(item.key)}
              tabbable={item.key === tabbableKey}
              ctx={ctx}
              measure={virtualizer.measureElement}
              onClick={onClick}
              onToggle={onToggle}
              onKeyDown={onKeyDown}
            />
          ) : (
            <EntryRowView key={item.key} entry={item.entry} index={v.index} nowMs={nowMs} offsetMs={item.row.gateway.clockOffsetMs} measure={virtualizer.measureElement} />
          );
        })}
        {padBottom > 0 && (
          <tr aria-hidden="true" className="spacer-row">
            <td colSpan={COLS} style={{ height: padBottom }} />
          </tr>
        )}
      </tbody>
    </table>
  );
}
