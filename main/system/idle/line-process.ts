/**
 * A long-lived helper process asked one line at a time: write a newline, read
 * one line back. For Windows, where the only way to GetLastInputInfo without a
 * native addon is PowerShell compiling a few lines of C# (about a second of CPU):
 * paid once per run instead of at every reading.
 *
 * Never blocks: every question has a timeout. A helper that dies or hangs is
 * killed and started again at the next question, at most once per `restartMs`;
 * one that cannot be started at all (not installed) is not tried again.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Socket } from 'node:net';

export interface LineProcessOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly timeoutMs?: number;
  readonly restartMs?: number;
  readonly clock?: () => number;
}

export class LineProcess {
  readonly #o: LineProcessOptions;
  #child: ChildProcessWithoutNullStreams | undefined;
  #buffer = '';
  #waiting: ((line: string | undefined) => void) | undefined;
  #missing = false;
  #lastStartMs = Number.NEGATIVE_INFINITY;

  constructor(options: LineProcessOptions) {
    this.#o = options;
  }

  /** One answer line, or undefined (no helper, it failed, or it took too long). */
  ask(): Promise<string | undefined> {
    if (this.#waiting) return Promise.resolve(undefined);
    const child = this.#ensure();
    if (!child) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        // A helper that does not answer in time is broken; a fresh one may not be.
        this.stop();
        finish(undefined);
      }, this.#o.timeoutMs ?? 5_000);
      const finish = (line: string | undefined) => {
        clearTimeout(timer);
        this.#waiting = undefined;
        resolve(line);
      };
      this.#waiting = finish;
      child.stdin.write('\n');
    });
  }

  /** Ends the helper (it is started again by the next {@link ask}). */
  stop(): void {
    const child = this.#child;
    this.#child = undefined;
    this.#buffer = '';
    if (child && child.exitCode === null) child.kill();
    this.#waiting?.(undefined);
  }

  #ensure(): ChildProcessWithoutNullStreams | undefined {
    if (this.#child) return this.#child;
    const now = (this.#o.clock ?? Date.now)();
    if (this.#missing || now - this.#lastStartMs < (this.#o.restartMs ?? 60_000)) return undefined;
    this.#lastStartMs = now;
    const child = spawn(this.#o.command, this.#o.args, { stdio: 'pipe', windowsHide: true });
    this.#child = child;
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') this.#missing = true;
      if (this.#child === child) this.stop();
    });
    child.on('exit', () => {
      if (this.#child === child) this.stop();
    });
    // A closed stdin (the helper gone) must not throw out of a write.
    child.stdin.on('error', () => {});
    child.stderr.resume();
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      this.#buffer += chunk;
      // Nothing legitimate is this long; a runaway helper must not grow memory.
      if (this.#buffer.length > 4096) this.#buffer = '';
      let nl: number;
      while ((nl = this.#buffer.indexOf('\n')) >= 0) {
        const line = this.#buffer.slice(0, nl).replace(/\r$/, '');
        this.#buffer = this.#buffer.slice(nl + 1);
        this.#waiting?.(line);
      }
    });
    // The helper must never keep the process alive on its own (its pipes would).
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as Socket).unref?.();
    return child;
  }
}
