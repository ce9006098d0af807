/**
 * A presence entry's columns, written once (issue 13, item 3): label, the sort
 * its header asks for, what the filter finds in it, and its text. The
 * Connections table draws its cells from these (adding icons, badges and live
 * ages by id), and `beacon --list` prints them as they are.
 */
import type { ReceivedEntry } from '../client/view-state.js';
import { STATUS_LABELS, statusFromAge, type StatusThresholds } from '../presence/status.js';
import { formatAge } from '../format/age.js';
import { reasonLabel } from '../format/reason.js';
import type { SortColumn } from './rows.js';

export type EntryColumnId = 'host' | 'status' | 'ip' | 'version' | 'mode' | 'lastInput' | 'updated' | 'reason';

export interface EntryColumn {
  readonly id: EntryColumnId;
  readonly label: string;
  /** The terminal's header, where it differs from `label` (printed in capitals). */
  readonly terminalLabel?: string;
  /** The sort its header asks for; absent: not sortable. */
  readonly sortKey?: SortColumn;
  /** The cell as plain text, at gateway time `nowMs`; '' when there is nothing to show. */
  readonly text: (entry: ReceivedEntry, nowMs: number, thresholds?: StatusThresholds) => string;
  /** What the text filter finds in it, when that isn't its text (undefined: the text). */
  readonly filterText?: (entry: ReceivedEntry) => string | undefined;
}

const lastInput = (e: ReceivedEntry) => (e.mode === 'gateway' || e.lastInputSeconds === undefined ? '' : `${formatAge(e.lastInputSeconds * 1000)} ago`);

export const ENTRY_COLUMNS: readonly EntryColumn[] = [
  {
    id: 'host',
    label: 'Instance',
    terminalLabel: 'Host',
    sortKey: 'host',
    text: (e) => e.host ?? 'unknown host',
    filterText: (e) => [e.host, e.platform, e.modelIdentifier, e.deviceFamily, e.instanceId].filter(Boolean).join('\n'),
  },
  { id: 'status', label: 'Status', sortKey: 'status', text: (e, now, t) => STATUS_LABELS[statusFromAge(now - e.ts, t)] },
  { id: 'ip', label: 'IP', sortKey: 'ip', text: (e) => e.ip ?? '' },
  { id: 'version', label: 'Version', sortKey: 'version', text: (e) => e.version ?? '' },
  { id: 'mode', label: 'Mode', sortKey: 'mode', text: (e) => e.mode ?? '' },
  { id: 'lastInput', label: 'Last input', sortKey: 'lastInput', text: lastInput, filterText: () => undefined },
  { id: 'updated', label: 'Updated', sortKey: 'updated', text: (e, now) => `${formatAge(now - e.ts)} ago`, filterText: () => undefined },
  { id: 'reason', label: 'Reason', text: (e) => e.reason ?? '', filterText: (e) => [e.reason, reasonLabel(e.reason)].filter(Boolean).join('\n') },
];

/** The order `beacon --list` prints them in: status first, as scripts that read it expect. */
export const TERMINAL_COLUMN_ORDER: readonly EntryColumnId[] = ['status', 'host', 'ip', 'version', 'mode', 'lastInput', 'updated', 'reason'];

export function entryColumn(id: EntryColumnId): EntryColumn {
  return ENTRY_COLUMNS.find((c) => c.id === id)!;
}

/** Lower-cased text the Connections filter searches: every column's filter text (status too, at `nowMs`). */
export function entryFilterText(e: ReceivedEntry, nowMs: number, thresholds: StatusThresholds): string {
  return ENTRY_COLUMNS.map((c) => (c.filterText ? c.filterText(e) : c.text(e, nowMs, thresholds)) ?? '')
    .join('\n')
    .toLowerCase();
}
