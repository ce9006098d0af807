import { describe, expect, it } from 'vitest';
import { gatewaysPresenceTable, presenceJson, presenceTable } from '../../../../main/cli/presence-table.js';

describe('presenceJson', () => {
  it('escapes what JSON.stringify lets through, and parses back to the same values', () => {
    const entries = [{ host: 'a\x1b\x9b2J\x7f\u202E\u200B\u{E0041}\u2028z', ts: 1, text: '' }];
    const json = presenceJson(entries);
    for (const line of json.split('\n')) expect(line).not.toMatch(/[\p{Cc}\p{Cf}\u2028]/u);
    expect(json).toContain('"host": "a\\u001b\\u009b2J\\u007f\\u202e\\u200b\\udb40\\udc41\\u2028z"');
    expect(JSON.parse(json)).toEqual(entries);
  });
});

describe('presenceTable', () => {
  it('prints hostile cells escaped, one row per line', () => {
    const table = presenceTable([{ host: 'pwn\x1b[2J\x1b]0;owned\x07\nfake row', ip: '10.0.0.1\u202E', version: '1', mode: 'ui', ts: 1000, text: '' }], 2000);
    expect(table.split('\n')).toHaveLength(2);
    for (const line of table.split('\n')) expect(line).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    expect(table).toContain('pwn\\x1b[2J\\x1b]0;owned\\x07\\nfake row');
    expect(table).toContain('10.0.0.1\\u202e');
  });
});

describe('gatewaysPresenceTable', () => {
  const NOW_A = 1_000_000;
  const NOW_B = 5_000_000;

  it('puts every gateway in one table, a GATEWAY column first, gateways in the order given', () => {
    const table = gatewaysPresenceTable([
      { gateway: 'home:18789', gatewayNowMs: NOW_A, entries: [{ host: 'laptop', mode: 'ui', ts: NOW_A - 5_000, text: '' }, { host: 'home-gw', mode: 'gateway', ts: NOW_A, text: '' }] },
      { gateway: 'work', gatewayNowMs: NOW_B, entries: [{ host: 'laptop', mode: 'ui', ts: NOW_B - 200_000, text: '' }] },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^GATEWAY\s+STATUS\s+HOST\s+IP\s+VERSION\s+MODE\s+LAST INPUT\s+UPDATED\s+REASON$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 3))).toEqual([
      ['home:18789', 'Active', 'laptop'],
      ['home:18789', 'Active', 'home-gw'],
      ['work', 'Idle', 'laptop'],
    ]);
    // Columns line up: every row's HOST starts where the header's does.
    const hostAt = lines[0]!.indexOf('HOST');
    for (const line of lines.slice(1)) expect(line[hostAt - 1]).toBe(' ');
    expect(lines[1]!.slice(hostAt)).toMatch(/^laptop/);
  });

  it("reads each gateway's ages on that gateway's own clock", () => {
    // Both entries were updated 10 s before their gateway's now, although the clocks are an hour apart.
    const table = gatewaysPresenceTable([
      { gateway: 'a', gatewayNowMs: NOW_A, entries: [{ host: 'x', ts: NOW_A - 10_000, text: '' }] },
      { gateway: 'b', gatewayNowMs: NOW_A + 3_600_000, entries: [{ host: 'y', ts: NOW_A + 3_600_000 - 10_000, text: '' }] },
    ]);
    const updated = table.split('\n').slice(1).map((l) => l.split(/\s{2,}/).at(-1));
    expect(updated).toEqual(['10s ago', '10s ago']);
  });

  it('makes the gateway cell visible text too, one row per line', () => {
    const table = gatewaysPresenceTable([{ gateway: 'gw\x1b[2J\n', gatewayNowMs: NOW_A, entries: [{ host: 'h', ts: NOW_A, text: '' }] }]);
    expect(table.split('\n')).toHaveLength(2);
    for (const line of table.split('\n')) expect(line).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    expect(table).toContain('gw\\x1b[2J\\n');
  });

  it('prints only the header for gateways without rows', () => {
    expect(gatewaysPresenceTable([])).toMatch(/^GATEWAY\s+STATUS/);
    expect(gatewaysPresenceTable([]).split('\n')).toHaveLength(1);
  });
});
