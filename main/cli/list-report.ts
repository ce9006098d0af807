/**
 * What `beacon --list` prints, from what it read: pure, so the output rules are
 * tested without a gateway.
 *
 * One gateway: the table (or the `--json` array of entries) exactly as before
 * several gateways existed; a failure goes to stderr and the exit code is 1.
 *
 * Several: one table with a GATEWAY column and the rows of every gateway that
 * could be read, and a line on stderr for each one that could not. `--json`
 * prints `{gateways: [{name, url, ok, error?, gatewayNowMs?, entries}]}`, one
 * item per gateway in the order given, failed ones included (`entries: []`), so
 * a script always finds every gateway it asked for and can tell "empty" from
 * "unreadable". `gatewayNowMs` is that gateway's clock when read: entries' `ts`
 * are on it, so ages are `gatewayNowMs - ts`. The exit code is 1 only when no
 * gateway could be read.
 */
import { redactUrl } from '../../shared/format/redact-url.js';
import { safeLogLine } from '../system/safe-log.js';
import type { GatewayRead } from './list-reader.js';
import { gatewaysPresenceTable, presenceJson, presenceTable, terminalSafeJson } from './presence-table.js';

export interface ListReport {
  /** For stdout; absent when there is nothing to print there. */
  readonly stdout?: string;
  /** Lines for stderr, already made safe for a terminal. */
  readonly stderr: readonly string[];
  readonly exitCode: 0 | 1;
}

export function listReport(reads: readonly GatewayRead[], json: boolean): ListReport {
  if (reads.length === 1) {
    const only = reads[0]!;
    if (!only.ok) return { stderr: [only.error, ...(only.action ? [only.action] : [])].map(safeLogLine), exitCode: 1 };
    return { stdout: json ? presenceJson(only.entries) : presenceTable(only.entries, only.gatewayNowMs), stderr: [], exitCode: 0 };
  }
  const stderr = reads.flatMap((r) =>
    r.ok ? [] : [safeLogLine(`[beacon ${r.target.label}] could not read the list: ${r.error}${r.action ? ` ${r.action}` : ''}`)],
  );
  const readable = reads.filter((r) => r.ok);
  const exitCode = readable.length > 0 ? 0 : 1;
  if (json) {
    const gateways = reads.map((r) =>
      r.ok
        ? { name: r.target.label, url: redactUrl(r.target.url), ok: true, gatewayNowMs: r.gatewayNowMs, entries: r.entries }
        : { name: r.target.label, url: redactUrl(r.target.url), ok: false, error: r.action ? `${r.error} ${r.action}` : r.error, entries: [] },
    );
    return { stdout: terminalSafeJson({ gateways }), stderr, exitCode };
  }
  if (readable.length === 0) return { stderr, exitCode };
  return {
    stdout: gatewaysPresenceTable(readable.map((r) => ({ gateway: r.target.label, entries: r.entries, gatewayNowMs: r.gatewayNowMs }))),
    stderr,
    exitCode,
  };
}
