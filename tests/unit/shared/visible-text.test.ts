import { describe, expect, it } from 'vitest';
import { visibleText } from '../../../shared/format/visible-text.js';
import { debugSummary } from '../../../shared/view/debug-summary.js';
import { toRows } from '../../../shared/view/rows.js';
import { DEFAULT_STATUS_THRESHOLDS } from '../../../shared/presence/status.js';
import { gatewayView as viewSnapshot } from '../../helpers/view-snapshot.js';

/** No character a terminal or a text widget would act on or hide. */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

describe('visibleText', () => {
  it('leaves printable text of any script alone', () => {
    for (const s of ['studio-mac.local', 'Łódź — 東京 — مرحبا — Ελλάδα', 'C:\\Users\\me', 'tab-less "quoted" 100%', '']) expect(visibleText(s)).toBe(s);
  });

  it('escapes C0 controls, NUL and DEL as \\xHH, with \\n \\r \\t named', () => {
    expect(visibleText('a\x00b')).toBe('a\\x00b');
    expect(visibleText('bell\x07')).toBe('bell\\x07');
    expect(visibleText('line1\nline2\r\n\tx')).toBe('line1\\nline2\\r\\n\\tx');
    expect(visibleText('del\x7f')).toBe('del\\x7f');
    expect(visibleText('\x01\x1f')).toBe('\\x01\\x1f');
  });

  it('escapes C1 controls, including the 8-bit CSI', () => {
    expect(visibleText('\x80\x85\x9b31m\x9f')).toBe('\\x80\\x85\\x9b31m\\x9f');
  });

  it('defuses ESC sequences: clear screen, title change, colours, OSC 8 links', () => {
    expect(visibleText('\x1b[2J\x1b[H')).toBe('\\x1b[2J\\x1b[H');
    expect(visibleText('\x1b]0;pwned\x07')).toBe('\\x1b]0;pwned\\x07');
    expect(visibleText('\x1b[31mred\x1b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(visibleText('\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\')).toBe('\\x1b]8;;http://evil\\x1b\\click\\x1b]8;;\\x1b\\');
  });

  it('escapes bidi overrides, embeddings, isolates and marks', () => {
    expect(visibleText('host\u202Egnp.exe')).toBe('host\\u202egnp.exe');
    expect(visibleText('\u202A\u202B\u202C\u202D')).toBe('\\u202a\\u202b\\u202c\\u202d');
    expect(visibleText('\u2066\u2067\u2068\u2069')).toBe('\\u2066\\u2067\\u2068\\u2069');
    expect(visibleText('\u200E\u200F\u061C')).toBe('\\u200e\\u200f\\u061c');
  });

  it('escapes zero-width and other invisible format characters', () => {
    expect(visibleText('ad\u200Bmin')).toBe('ad\\u200bmin');
    expect(visibleText('a\u200Cb\u200Dc\u2060d\uFEFFe\u00ADf')).toBe('a\\u200cb\\u200dc\\u2060d\\ufeffe\\xadf');
    expect(visibleText('x\u2028y\u2029z')).toBe('x\\u2028y\\u2029z');
  });

  it('escapes tag characters (hidden ASCII) and lone surrogates', () => {
    expect(visibleText('ok\u{E0041}\u{E0042}')).toBe('ok\\u{e0041}\\u{e0042}');
    expect(visibleText('a\uD800b')).toBe('a\\ud800b');
  });

  it('keeps a zero-width joiner inside an emoji sequence, and keeps emoji', () => {
    expect(visibleText('👩‍💻 desk 👍🏽')).toBe('👩‍💻 desk 👍🏽');
    expect(visibleText('a\u200D💻')).toBe('a\\u200d💻');
  });

  it('leaves no invisible character in anything', () => {
    let all = '';
    for (let cp = 0; cp < 0x3000; cp++) all += String.fromCodePoint(cp);
    expect(INVISIBLE.test(visibleText(all))).toBe(false);
  });

  it('caps the output and counts what it left out', () => {
    expect(visibleText('abcdef', { maxLength: 4 })).toBe('abcd… (2 more)');
    expect(visibleText('abcd', { maxLength: 4 })).toBe('abcd');
    // An escape is never cut in half: it goes whole or not at all.
    expect(visibleText('abc\x1bdef', { maxLength: 5 })).toBe('abc… (4 more)');
    const huge = visibleText('\x1b[2J'.repeat(25_000), { maxLength: 500 });
    expect(huge.length).toBeLessThanOrEqual(500 + '… (100000 more)'.length);
    expect(huge).toMatch(/… \(\d+ more\)$/);
    expect(huge).not.toContain('\x1b');
  });

  it('caps a 5 MB message without copying it, counting astral characters once', () => {
    expect(visibleText('x'.repeat(5_000_000), { maxLength: 3 })).toBe('xxx… (4999997 more)');
    expect(visibleText('ab💻💻', { maxLength: 2 })).toBe('ab… (2 more)');
  });
});

describe('debugSummary', () => {
  it('copies NUL, ESC, BEL and bidi controls as visible escapes', () => {
    const entry = { host: 'evil\x00\x1b[2J\x07\u202Etxt.exe', version: '1\x9b2', instanceId: 'i-x', ts: 1000, text: '' };
    const snapshot = viewSnapshot([entry], 1, {
      gatewayNowMs: 2000,
      connection: { kind: 'reconnecting', url: 'ws://g', attempt: 1, retryAtMs: 5000, lastError: 'bad\x1b]0;title\x07' },
      lastBeacon: { reason: 'periodic', ok: false, error: 'nope\u2066', atMs: 1 },
    });
    const [row] = toRows(snapshot.entries, snapshot.gatewayNowMs, DEFAULT_STATUS_THRESHOLDS, snapshot.self);
    const text = debugSummary(snapshot, row, '1.0.0');
    expect(INVISIBLE.test(text.replaceAll('\n', ''))).toBe(false);
    expect(text).toContain('Selected: evil\\x00\\x1b[2J\\x07\\u202etxt.exe');
    expect(text).toContain('(bad\\x1b]0;title\\x07)');
    expect(text).toContain('failed: nope\\u2066');
    // JSON had already escaped the C0 ones its own way; C1 and bidi it passes, and we catch.
    expect(text).toContain('"host": "evil\\u0000\\u001b[2J\\u0007\\u202etxt.exe"');
    expect(text).toContain('"version": "1\\x9b2"');
  });
});
