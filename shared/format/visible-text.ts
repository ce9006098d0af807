/**
 * Text from the network made safe to print to a terminal, a log or the clipboard.
 *
 * Host names, versions and error messages come from other machines. Written raw,
 * an ESC sequence clears the screen or retitles the terminal, a newline forges a
 * log line, a bidi override (U+202E) reorders what the reader sees, and zero-width
 * or tag characters hide text (Trojan Source, CVE-2021-42574; "ASCII smuggling").
 * Each such character is replaced by a visible escape instead: `\x1b`, `\n`,
 * `\u202e`, `\u{e0041}`. Everything printable, any script, stays as it is.
 *
 * What is escaped:
 * - control characters (`\p{Cc}`): C0 (NUL…US), DEL, C1 (U+0080…U+009F, incl. the
 *   8-bit CSI U+009B that some terminals obey);
 * - format characters (`\p{Cf}`): bidi marks, embeddings, overrides and isolates,
 *   zero-width space/joiners, word joiner, BOM, soft hyphen, tag characters;
 * - line and paragraph separators (U+2028, U+2029), which editors treat as newlines;
 * - lone surrogates, which are not text.
 * One exception: a zero-width joiner between two pictographs, which is how emoji
 * sequences such as 👩‍💻 are built, stays.
 *
 * Backslashes are not doubled: the output is for people to read, not to parse
 * back, and Windows paths stay readable.
 */

export interface VisibleTextOptions {
  /**
   * The most characters to output (escapes count as their printed length). What
   * is left is replaced by `… (N more)`, N counted in input characters.
   */
  readonly maxLength?: number;
}

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
// What may stand either side of a joiner in an emoji sequence (❤️‍🔥 has VS16 before it).
const PICTOGRAPH = /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F)$/u;
const ZWJ = '\u200D';

function hex(codePoint: number, width: number): string {
  return codePoint.toString(16).padStart(width, '0');
}

/** The visible form of one code point (itself when printable). */
function escapeChar(ch: string, prev: string | undefined, next: string | undefined): string {
  const named = NAMED[ch];
  if (named) return named;
  const cp = ch.codePointAt(0)!;
  const isLoneSurrogate = cp >= 0xd800 && cp <= 0xdfff;
  if (!isLoneSurrogate && !INVISIBLE.test(ch)) return ch;
  if (ch === ZWJ && prev !== undefined && next !== undefined && PICTOGRAPH.test(prev) && PICTOGRAPH.test(next)) return ch;
  if (cp <= 0xff) return `\\x${hex(cp, 2)}`;
  if (cp <= 0xffff) return `\\u${hex(cp, 4)}`;
  return `\\u{${hex(cp, 0)}}`;
}

/**
 * `text` with every control, bidi, zero-width and other invisible character
 * made visible as an escape, optionally capped at `maxLength` output characters.
 */
export function visibleText(text: string, options: VisibleTextOptions = {}): string {
  const max = options.maxLength ?? Number.POSITIVE_INFINITY;
  let out = '';
  let prev: string | undefined;
  // Walks code points by index (lone surrogates come out as themselves) without
  // copying the text: a 50 MB message costs no more than the capped line.
  for (let i = 0; i < text.length; ) {
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    const nextCp = text.codePointAt(i + ch.length);
    const piece = escapeChar(ch, prev, nextCp === undefined ? undefined : String.fromCodePoint(nextCp));
    if (out.length + piece.length > max) return `${out}… (${countCodePoints(text, i)} more)`;
    out += piece;
    prev = ch;
    i += ch.length;
  }
  return out;
}

function countCodePoints(text: string, from: number): number {
  let n = 0;
  for (let i = from; i < text.length; i += text.codePointAt(i)! > 0xffff ? 2 : 1) n++;
  return n;
}
