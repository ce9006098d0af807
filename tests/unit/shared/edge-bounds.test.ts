/** Issue 12 V5 and V9 at the edge: hostile presence entries, and URLs made safe to show. */
import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../../shared/format/redact-url.js';
import { parsePresenceList, MAX_TS_DISTANCE_MS } from '../../../shared/protocol/presence-list.js';

const NOW = 1_800_000_000_000;

describe('parsePresenceList bounds (V5)', () => {
  it('drops entries with extreme numbers and huge strings, and keeps the rest of the list', () => {
    const big = 'x'.repeat(100 * 1024);
    const hostile = [
      { host: 'far-future', ts: 9e15 },
      { host: 'max-date', ts: 8.64e15 },
      { host: 'negative', ts: -1 },
      { host: 'fraction', ts: NOW + 0.5 },
      { host: 'infinite', ts: JSON.parse('1e400') as number },
      { host: 'string-ts', ts: 'NaN' },
      { host: 'year-later', ts: NOW + 366 * 24 * 3600_000 },
      { host: 'long-ago', ts: NOW - MAX_TS_DISTANCE_MS - 1 },
      { host: big, ts: NOW },
      { host: 'big-extra', user: big, ts: NOW },
      { host: 'many-extras', ts: NOW, ...Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])) },
      { host: 'huge-idle', lastInputSeconds: 1e300, ts: NOW },
      { host: 'ok-1', ts: NOW - 1000, lastInputSeconds: 12.5, user: { name: 'a' } },
      { host: '\u202Eevil\u202C', ts: NOW - MAX_TS_DISTANCE_MS + 1000 },
    ];
    const parsed = parsePresenceList(hostile, NOW)!;
    expect(parsed.entries.map((e) => e.host)).toEqual(['ok-1', '\u202Eevil\u202C']);
    expect(parsed.dropped).toBe(12);
    expect(parsed.firstProblem).toBeTruthy();
    for (const e of parsed.entries) expect(() => new Date(e.ts).toISOString()).not.toThrow();
  });

  it('without a gateway clock, still keeps every ts a Date can hold', () => {
    const parsed = parsePresenceList([{ ts: 8.64e15 }, { ts: 8.64e15 + 1 }, { ts: 0 }])!;
    expect(parsed.entries.map((e) => e.ts)).toEqual([8.64e15, 0]);
  });
});

describe('redactUrl (V9)', () => {
  it.each([
    ['ws://user:secret@host:18789/path', 'ws://***@host:18789/path'],
    ['wss://:pw@gw.example', 'wss://***@gw.example'],
    ['ws://127.0.0.1:18789', 'ws://127.0.0.1:18789'],
    ['wss://gw.example/?token=abc&x=1#frag', 'wss://gw.example/?token=***&x=***'],
    ['ws://host/?abc123', 'ws://host/?***'],
    ['ws://a@b@host/', 'ws://***@host/'],
    ['user:pw@host', '***'],
    ['', ''],
  ])('%s → %s', (raw, shown) => {
    expect(redactUrl(raw)).toBe(shown);
  });
});
