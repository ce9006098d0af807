/**
 * One list of entry columns (issue 13, item 3): the terminal table, the
 * Connections filter and the Connections header all read it, so a column added
 * or renamed there shows up everywhere, and nothing is matched by position.
 */
import { describe, expect, it } from 'vitest';
import { ENTRY_COLUMNS, TERMINAL_COLUMN_ORDER, entryColumn } from '../../../shared/view/entry-columns.js';
import { presenceTable } from '../../../main/cli/presence-table.js';
import { filterRows, indexRows } from '../../../shared/view/rows.js';
import { DEFAULT_STATUS_THRESHOLDS } from '../../../shared/presence/status.js';

const NOW = 1_800_000_000_000;
const entry = { host: 'studio', ip: '10.1.2.3', version: '2026.9.6', mode: 'ui', modelIdentifier: 'Mac14,13', lastInputSeconds: 90, reason: 'periodic', ts: NOW - 5_000, text: '' };

describe('entry columns', () => {
  it('the terminal table is headed and filled from the columns, in its order', () => {
    const [header, row] = presenceTable([entry], NOW).split('\n');
    expect(header!.split(/\s{2,}/)).toEqual(TERMINAL_COLUMN_ORDER.map((id) => (entryColumn(id).terminalLabel ?? entryColumn(id).label).toUpperCase()));
    expect(row!.split(/\s{2,}/)).toEqual(TERMINAL_COLUMN_ORDER.map((id) => entryColumn(id).text(entry, NOW)));
    expect(row!.split(/\s{2,}/)).toEqual(['Active', 'studio', '10.1.2.3', '2026.9.6', 'ui', '1m ago', '5s ago', 'periodic']);
  });

  it('the filter finds what the columns show: a reason by its label, a model, a status', () => {
    const rows = indexRows([entry, { host: 'other', ts: NOW - 400_000, text: '' }], { instanceId: 'me', deviceId: 'me' });
    const hosts = (q: string) => filterRows(rows, q, NOW, DEFAULT_STATUS_THRESHOLDS).map((r) => r.entry.host);
    expect(hosts('heartbeat')).toEqual(['studio']);
    expect(hosts('mac14')).toEqual(['studio']);
    expect(hosts('stale')).toEqual(['other']);
    // Ages are not searched: "ago" would match every row.
    expect(hosts('ago')).toEqual([]);
  });

  it('every column has a unique id and a label', () => {
    expect(new Set(ENTRY_COLUMNS.map((c) => c.id)).size).toBe(ENTRY_COLUMNS.length);
    expect(new Set(TERMINAL_COLUMN_ORDER)).toEqual(new Set(ENTRY_COLUMNS.map((c) => c.id)));
  });
});
