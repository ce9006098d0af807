import { describe, expect, it } from 'vitest';
import { LOG_LINE_MAX_CHARS, safeLogLine, safeLogger } from '../../../../main/system/safe-log.js';

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
