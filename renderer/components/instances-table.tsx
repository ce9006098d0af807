import { useRef, type KeyboardEvent } from 'react';
import type { RowModel, SortColumn, SortOrder } from '../../shared/view/rows.js';
import { formatAge } from '../../shared/format/age.js';
import { prettyPlatform } from '../../shared/format/platform.js';
import { reasonLabel } from '../../shared/format/reason.js';
import { deviceKind } from '../../shared/format/device.js';
import { StatusBadge } from './status-badge.js';
import { DeviceIcon } from './device-icon.js';

const COLUMNS: ReadonlyArray<{ id: SortColumn; label: string }> = [
  { id: 'host', label: 'Instance' },
  { id: 'status', label: 'Status' },
  { id: 'ip', label: 'IP' },
  { id: 'version', label: 'Version' },
  { id: 'mode', label: 'Mode' },
  { id: 'lastInput', label: 'Last input' },
  { id: 'updated', label: 'Updated' },
];

export interface TableProps {
  readonly rows: readonly RowModel[];
  readonly gatewayNowMs: number;
  readonly sort: SortOrder;
  readonly onSort: (column: SortColumn) => void;
  readonly selectedKey?: string;
  readonly onSelect: (key: string | undefined) => void;
  readonly offline: boolean;
}

function deviceLine(row: RowModel): string | undefined {
  const parts = [row.entry.modelIdentifier, prettyPlatform(row.entry.platform)].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
}

export function InstancesTable({ rows, gatewayNowMs, sort, onSort, selectedKey, onSelect, offline }: TableProps) {
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const focusRow = (index: number) => {
    const row = bodyRef.current?.querySelectorAll<HTMLTableRowElement>('tr[data-key]')[index];
    row?.focus();
    if (row?.dataset.key) onSelect(row.dataset.key);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: rows.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      focusRow(Math.min(rows.length - 1, Math.max(0, moves[event.key]!)));
    } else if (event.key === 'Escape') onSelect(undefined);
  };
  const activeIndex = Math.max(0, rows.findIndex((r) => r.key === selectedKey));

  return (
    <table className={`instances${offline ? ' offline' : ''}`} aria-label="Instances" aria-rowcount={rows.length + 1}>
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th key={c.id} scope="col" aria-sort={sort.column === c.id ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
              <button type="button" className="sort" onClick={() => onSort(c.id)}>
                {c.label}
                <span aria-hidden="true">{sort.column === c.id ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}</span>
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody ref={bodyRef}>
        {rows.map((row, index) => {
          const e = row.entry;
          const reason = reasonLabel(e.reason);
          const absolute = new Date(e.ts).toISOString();
          return (
            <tr
              key={row.key}
              data-key={row.key}
              data-status={row.status}
              className={`${row.key === selectedKey ? 'selected' : ''}${row.isSelf ? ' self' : ''}`}
              tabIndex={index === activeIndex ? 0 : -1}
              aria-selected={row.key === selectedKey}
              title={e.text || undefined}
              onClick={() => onSelect(row.key)}
              onKeyDown={(event) => onKeyDown(event, index)}
            >
              <td>
                <div className="instance">
                <DeviceIcon kind={deviceKind(e)} />
                <div className="instance-text">
                  <span className={`host sensitive${e.host ? '' : ' unknown'}`}>{e.host || 'unknown host'}</span>
                  {row.isSelf && <span className="tag">This device</span>}
                  {row.looksDuplicate && (
                    <span className="tag tag-warn" title="Same host name and no instanceId: a client that reconnects without a stable instanceId shows up again as a new row.">
                      Possible duplicate
                    </span>
                  )}
                  {deviceLine(row) && <span className="sub">{deviceLine(row)}</span>}
                </div>
                </div>
              </td>
              <td>
                <StatusBadge status={row.status} />
              </td>
              <td className="mono sensitive">{e.ip ?? '—'}</td>
              <td>{e.version ?? '—'}</td>
              <td>{e.mode ?? '—'}</td>
              <td>{e.mode === 'gateway' || e.lastInputSeconds === undefined ? '—' : `${formatAge(e.lastInputSeconds * 1000)} ago`}</td>
              <td>
                <time dateTime={absolute} title={new Date(e.ts).toLocaleString()}>
                  updated {formatAge(gatewayNowMs - e.ts)} ago
                </time>
                {reason ? ` · ${reason}` : ''}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
