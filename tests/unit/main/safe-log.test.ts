import { describe, expect, it } from 'vitest';
import { LOG_LINE_MAX_CHARS, safeLogLine, safeLogger } from '../../../main/system/safe-log.js';
import { presenceJson, presenceTable } from '../../../main/cli/presence-table.js';

describe('safeLogLine', () => {
  it('keeps an ordinary line as it is', () => {
    expect(safeLogLine('connected to ws://127.0.0.1:18789 (gateway 2026.9.6, scopes operator.read)')).toBe('connected to ws://127.0.0.1:18789 (gateway 2026.9.6, scopes operator.read)');
  });

  it('cannot forge a second log line or drive the terminal', () => {
    expect(safeLogLine('beacon failed: x\n[core] connected to ws://trusted\x1b[2K')).toBe('beacon failed: x\\n[core] connected to ws://trusted\\x1b[2K');
  });

  it('caps a 100 KB message to one bounded line that says how much was left out', () => {
    const line = safeLogLine(`error: ${'A\x1b[31m'.repeat(20_000)}`);
    expect(line.length).toBeLessThan(LOG_LINE_MAX_CHARS + 20);
    expect(line).toMatch(/… \(\d+ more\)$/);
    expect(line).not.toMatch(/\p{Cc}/u);
  });

  it('prefixes and writes through the given sink', () => {
    const lines: string[] = [];
    const log = safeLogger('[beacon]', (l) => lines.push(l));
    log('host \u202Eevil');
    expect(lines).toEqual(['[beacon] host \\u202eevil']);
  });
});

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
