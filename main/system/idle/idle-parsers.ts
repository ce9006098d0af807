/**
 * The OS idle time from what each platform's tool prints: pure functions over
 * captured text, so every odd output is a unit test. Each returns seconds since
 * the last user input, or undefined when the text does not say (never a guess).
 */

/** Values above this (a year) are a broken clock or a broken tool, not a person away. */
const MAX_IDLE_SECONDS = 366 * 24 * 3600;

function plausible(seconds: number): number | undefined {
  return Number.isFinite(seconds) && seconds >= 0 && seconds <= MAX_IDLE_SECONDS ? seconds : undefined;
}

/**
 * macOS: `ioreg -c IOHIDSystem …` prints `"HIDIdleTime" = <nanoseconds>` for the
 * HID system. ioreg writes an object's own properties as `"Key" = value` and keys
 * inside a dictionary value as `"Key"=value`, so only the spaced form counts.
 * Where more than one IOHIDSystem node is listed, input on any of them means the
 * person is there, so the smallest value wins.
 */
export function parseIoregIdleSeconds(text: string): number | undefined {
  let smallest: bigint | undefined;
  for (const m of text.matchAll(/"HIDIdleTime" = (\d+)/g)) {
    // Nanoseconds pass 2^53 after 104 days; BigInt keeps them exact.
    const ns = BigInt(m[1]!);
    if (smallest === undefined || ns < smallest) smallest = ns;
  }
  if (smallest === undefined) return undefined;
  return plausible(Number(smallest / 1_000_000n) / 1000);
}

/**
 * One integer of milliseconds on its own line: `xprintidle`, `xssstate -i`, and
 * our PowerShell GetLastInputInfo loop. Anything else (an error message, an
 * empty line, a negative or fractional number) is not an answer.
 */
export function parseMillisecondsLine(text: string): number | undefined {
  const line = text.trim();
  if (!/^\d{1,15}$/.test(line)) return undefined;
  return plausible(Number(line) / 1000);
}

/**
 * Linux without X11: `loginctl show-session ID -p IdleHint -p IdleSinceHint -p Type`
 * (`Key=value` lines, in any order).
 *
 * - `IdleSinceHint` is when the idle state last changed, in microseconds of
 *   wall-clock time; 0 means nothing ever set it (no desktop manages the hint),
 *   so there is nothing to report.
 * - `IdleHint=yes`: idle since then. The desktop sets it only after its own idle
 *   delay, so this is a lower bound of the real idle time.
 * - `IdleHint=no` on a graphical session: the desktop says the person is active: 0.
 * - On a `tty` session (SSH, console) logind takes the timestamp from the
 *   terminal's last access, which is the last input whatever the hint.
 */
export function parseLogindIdleSeconds(text: string, nowMs: number): number | undefined {
  const props = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0) props.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const hint = props.get('IdleHint');
  const sinceText = props.get('IdleSinceHint');
  if ((hint !== 'yes' && hint !== 'no') || sinceText === undefined || !/^\d{1,20}$/.test(sinceText)) return undefined;
  const sinceUs = BigInt(sinceText);
  if (sinceUs === 0n) return undefined;
  const sinceMs = Number(sinceUs / 1000n);
  if (hint === 'no' && props.get('Type') !== 'tty') return 0;
  // A timestamp a little ahead of our clock (rounding, a clock step) is "just now".
  if (sinceMs > nowMs + 5_000) return undefined;
  return plausible(Math.max(0, nowMs - sinceMs) / 1000);
}
