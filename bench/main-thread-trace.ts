/**
 * The page's main-thread tasks, from a Chromium trace, attributed to windows the
 * benchmark marks in the page (`performance.mark`). A frame is lost when one task
 * runs past 16.7 ms, so the longest task is the figure that says whether an update
 * fits in a frame; total task time says what it costs.
 */
import type { CDPSession, Page } from 'playwright-core';

/** One event of Chromium's trace event format, as far as the benches read it. */
export interface TraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: { readonly name?: string };
}

export interface WindowTasks {
  /** The longest main-thread task in the window, ms. */
  readonly longestMs: number;
  /** All main-thread task time in the window, ms. */
  readonly totalMs: number;
  /** Tasks that ran past one frame (16.7 ms). */
  readonly overFrame: number;
  /** Every task in the window: its start, ms after the window's, and its length. */
  readonly tasks: readonly { readonly atMs: number; readonly ms: number }[];
}

export class MainThreadTrace {
  readonly #cdp: CDPSession;
  readonly #events: TraceEvent[] = [];

  private constructor(cdp: CDPSession) {
    this.#cdp = cdp;
    cdp.on('Tracing.dataCollected', (d) => {
      // The protocol types trace events as string maps; they are Chromium's trace event format.
      for (const e of d.value as unknown as TraceEvent[]) this.#events.push(e);
    });
  }

  /**
   * Starts recording top-level tasks and user-timing marks. Chromium records tasks only
   * in its verbose timeline category, whose own cost makes the figures an upper bound.
   */
  static async start(page: Page): Promise<MainThreadTrace> {
    const cdp = await page.context().newCDPSession(page);
    const trace = new MainThreadTrace(cdp);
    await cdp.send('Tracing.start', { categories: 'disabled-by-default-devtools.timeline,blink.user_timing', transferMode: 'ReportEvents' });
    return trace;
  }

  /**
   * Stops and returns, per window from mark `${prefix}:start:N` to `${prefix}:end:N`
   * (plus `tailMs`, for the frame that paints it), the main-thread tasks in it.
   */
  async stop(prefix: string, tailMs: number): Promise<WindowTasks[]> {
    const done = new Promise<void>((resolve) => this.#cdp.once('Tracing.tracingComplete', () => resolve()));
    await this.#cdp.send('Tracing.end');
    await done;
    await this.#cdp.detach();
    const marks = this.#events.filter((e) => e.cat.includes('blink.user_timing') && e.name.startsWith(`${prefix}:`));
    const pid = marks[0]?.pid;
    const mainTid = this.#events.find((e) => e.pid === pid && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
    const tasks = this.#events.filter((e) => e.pid === pid && e.tid === mainTid && e.ph === 'X' && e.name === 'RunTask');
    const at = (name: string) => marks.find((m) => m.name === name)?.ts;
    const windows: WindowTasks[] = [];
    for (let n = 0; ; n += 1) {
      const start = at(`${prefix}:start:${n}`);
      const end = at(`${prefix}:end:${n}`);
      if (start === undefined || end === undefined) break;
      const found = tasks.filter((t) => t.ts + (t.dur ?? 0) >= start && t.ts <= end + tailMs * 1000).map((t) => ({ atMs: (t.ts - start) / 1000, ms: (t.dur ?? 0) / 1000 }));
      const inside = found.map((t) => t.ms);
      windows.push({ longestMs: Math.max(0, ...inside), totalMs: inside.reduce((a, b) => a + b, 0), overFrame: inside.filter((d) => d > 1000 / 60).length, tasks: found });
    }
    return windows;
  }
}
