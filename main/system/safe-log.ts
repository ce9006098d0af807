/**
 * One way to write a log line, for every log in main/ and the CLIs.
 *
 * Log lines carry text from gateways and other clients (error messages, host
 * names, URLs). {@link safeLogLine} makes its control and bidi characters visible
 * (so a hostile message cannot move the cursor, retitle the terminal or forge a
 * second log line) and caps its length (so a 100 KB error is one readable line).
 */
import { visibleText } from '../../shared/format/visible-text.js';

/** The most characters one log line keeps; the rest is counted, not printed. */
export const LOG_LINE_MAX_CHARS = 500;

/** `line` escaped and capped: what may reach a terminal or a log file. */
export function safeLogLine(line: string): string {
  return visibleText(line, { maxLength: LOG_LINE_MAX_CHARS });
}

/**
 * A `log` function for the `log` options of the core, the client and the hub:
 * each line prefixed, made safe, and written with `write` (stderr by default,
 * so stdout stays for what a CLI is asked to print).
 */
export function safeLogger(prefix: string, write: (line: string) => void = (line) => console.error(line)): (line: string) => void {
  return (line) => write(safeLogLine(prefix ? `${prefix} ${line}` : line));
}
