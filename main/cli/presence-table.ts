/** The presence list as a plain-text table for `--list`, for one gateway or several. */
import type { ReceivedEntry } from '../../shared/client/view-state.js';
import { TERMINAL_COLUMN_ORDER, entryColumn } from '../../shared/view/entry-columns.js';
import { visibleText } from '../../shared/format/visible-text.js';

/** A cell longer than this is cut (`--json` has the whole value). */
const CELL_MAX_CHARS = 80;

/** The Connections table's columns (shared/view/entry-columns.ts), in the terminal's order, headed in capitals. */
const COLUMNS = TERMINAL_COLUMN_ORDER.map(entryColumn);
const ENTRY_HEADER = COLUMNS.map((c) => (c.terminalLabel ?? c.label).toUpperCase());

/** One gateway's rows; ages and statuses are read on that gateway's clock. */
export interface GatewayRows {
  /** What the GATEWAY column shows: its `--name` or host:port. */
  readonly gateway: string;
  readonly entries: readonly ReceivedEntry[];
  readonly gatewayNowMs: number;
}

function entryCells(e: ReceivedEntry, gatewayNowMs: number): string[] {
  return COLUMNS.map((c) => c.text(e, gatewayNowMs));
}

/**
 * Every cell comes from the gateway (or the command line), so each is made
 * visible (escape sequences, newlines, bidi overrides printed as `\x1b`, `\n`,
 * `\u202e`, never obeyed by the terminal) and capped, which also keeps one row
 * on one line.
 */
function renderTable(header: readonly string[], rawRows: readonly string[][]): string {
  const rows = rawRows.map((r) => r.map((cell) => visibleText(cell, { maxLength: CELL_MAX_CHARS })));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** One gateway's list, as `--list` has always printed it. */
export function presenceTable(entries: readonly ReceivedEntry[], gatewayNowMs: number): string {
  return renderTable(ENTRY_HEADER, entries.map((e) => entryCells(e, gatewayNowMs)));
}

/**
 * Several gateways' lists as one table, a GATEWAY column first: gateways in the
 * order given, each one's rows in its own order (newest first).
 */
export function gatewaysPresenceTable(sections: readonly GatewayRows[]): string {
  return renderTable(
    ['GATEWAY', ...ENTRY_HEADER],
    sections.flatMap((s) => s.entries.map((e) => [s.gateway, ...entryCells(e, s.gatewayNowMs)])),
  );
}

/**
 * Any value as indented JSON that is also safe in a terminal. JSON.stringify
 * escapes C0 controls but passes DEL, C1 (U+009B is a CSI to some terminals),
 * bidi, zero-width and tag characters through; those become `\uXXXX` escapes
 * too, which parse back to the same values.
 */
export function terminalSafeJson(value: unknown): string {
  // C0 and `\n` are left alone: the strings' are escaped already, and the rest is the indentation.
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\p{Cf}\u2028\u2029]/gu, (ch) =>
    ch.split('').map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
  );
}

/** One gateway's entries as `--list --json` has always printed them: an array. */
export function presenceJson(entries: readonly ReceivedEntry[]): string {
  return terminalSafeJson(entries);
}
