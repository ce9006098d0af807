import { describe, expect, it } from 'vitest';
import { listReport } from '../../../../main/cli/list-report.js';
import type { GatewayRead } from '../../../../main/cli/list-reader.js';

const A = { url: 'ws://a:1', label: 'a:1' };
const B = { url: 'ws://b:2/?key=secret', label: 'b:2' };
const C = { url: 'ws://c:3', label: 'office' };
const NOW = 1_000_000;
const okRead = (target: typeof A, host: string): GatewayRead => ({ target, ok: true, gatewayNowMs: NOW, entries: [{ host, ts: NOW - 1000, text: '' }] });
const refused: GatewayRead = { target: C, ok: false, error: 'The gateway refused the token.', action: 'Paste it again.' };

describe('listReport, one gateway (unchanged from before several gateways)', () => {
  it('prints the table without a GATEWAY column, or the JSON array', () => {
    const table = listReport([okRead(A, 'x')], false);
    expect(table.stdout).toMatch(/^STATUS\s+HOST/);
    expect(table.exitCode).toBe(0);
    expect(JSON.parse(listReport([okRead(A, 'x')], true).stdout!)).toEqual([{ host: 'x', ts: NOW - 1000, text: '' }]);
  });

  it('puts a failure on stderr, reason then action, exit code 1', () => {
    expect(listReport([refused], false)).toEqual({ stderr: ['The gateway refused the token.', 'Paste it again.'], exitCode: 1 });
  });
});

describe('listReport, several gateways', () => {
  it('prints one table of the readable gateways and a line per unreadable one; exit 0', () => {
    const r = listReport([okRead(A, 'x'), refused, okRead(B, 'y')], false);
    expect(r.stdout!.split('\n').map((l) => l.split(/\s{2,}/).slice(0, 3))).toEqual([
      ['GATEWAY', 'STATUS', 'HOST'],
      ['a:1', 'Active', 'x'],
      ['b:2', 'Active', 'y'],
    ]);
    expect(r.stderr).toEqual(['[beacon office] could not read the list: The gateway refused the token. Paste it again.']);
    expect(r.exitCode).toBe(0);
  });

  it('exits 1 with no table when none could be read', () => {
    const down: GatewayRead = { target: A, ok: false, error: 'cannot reach ws://a:1: connect ECONNREFUSED' };
    expect(listReport([down, refused], false)).toEqual({
      stderr: ['[beacon a:1] could not read the list: cannot reach ws://a:1: connect ECONNREFUSED', '[beacon office] could not read the list: The gateway refused the token. Paste it again.'],
      exitCode: 1,
    });
  });

  it('--json: every gateway in order, failed ones with their error and no entries, URLs without query values', () => {
    const r = listReport([okRead(A, 'x'), refused, okRead(B, 'y\u202e')], true);
    expect(r.stdout).not.toContain('\u202e');
    expect(JSON.parse(r.stdout!)).toEqual({
      gateways: [
        { name: 'a:1', url: 'ws://a:1', ok: true, gatewayNowMs: NOW, entries: [{ host: 'x', ts: NOW - 1000, text: '' }] },
        { name: 'office', url: 'ws://c:3', ok: false, error: 'The gateway refused the token. Paste it again.', entries: [] },
        { name: 'b:2', url: 'ws://b:2/?key=***', ok: true, gatewayNowMs: NOW, entries: [{ host: 'y\u202e', ts: NOW - 1000, text: '' }] },
      ],
    });
    expect(r.exitCode).toBe(0);
    expect(listReport([refused, refused], true).exitCode).toBe(1);
  });

  it('makes a hostile error visible on its one line', () => {
    const hostile: GatewayRead = { target: A, ok: false, error: 'bad\x1b[2J\n[beacon b:2] forged' };
    const r = listReport([hostile, okRead(B, 'y')], false);
    expect(r.stderr).toEqual(['[beacon a:1] could not read the list: bad\\x1b[2J\\n[beacon b:2] forged']);
  });
});
