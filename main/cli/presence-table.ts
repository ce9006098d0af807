/** The presence list as a plain-text table for `--list`. */
import type { ReceivedEntry } from '../../shared/client/view-state.js';
import { STATUS_LABELS, statusFromAge } from '../../shared/presence/status.js';
import { formatAge } from '../../shared/format/age.js';
import { visibleText } from '../../shared/format/visible-text.js';

/** A cell longer than this is cut (`--json` has the whole value). */
const CELL_MAX_CHARS = 80;

/**
 * Every cell comes from the gateway, so each is made visible (escape sequences,
 * newlines, bidi overrides printed as `\x1b`, `\n`, `\u202e`, never obeyed by the
 * terminal) and capped, which also keeps one row on one line.
 */
export function presenceTable(entries: readonly ReceivedEntry[], gatewayNowMs: number): string {
  const header = ['STATUS', 'HOST', 'IP', 'VERSION', 'MODE', 'LAST INPUT', 'UPDATED', 'REASON'];
  const rows = entries.map((e) =>
    [
      STATUS_LABELS[statusFromAge(gatewayNowMs - e.ts)],
      e.host ?? 'unknown host',
      e.ip ?? '',
      e.version ?? '',
      e.mode ?? '',
      e.lastInputSeconds !== undefined ? `${formatAge(e.lastInputSeconds * 1000)} ago` : '',
      `${formatAge(gatewayNowMs - e.ts)} ago`,
      e.reason ?? '',
    ].map((cell) => visibleText(cell, { maxLength: CELL_MAX_CHARS })),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
