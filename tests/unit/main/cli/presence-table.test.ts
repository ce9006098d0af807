import { describe, expect, it } from 'vitest';
import { presenceJson, presenceTable } from '../../../../main/cli/presence-table.js';

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
