/**
 * Where a benchmark may time the page. `bench/renderer-cost.ts` installs
 * `globalThis.__clawBenchHooks` before the page loads (`page.addInitScript`);
 * in the app nothing installs it, so each hook point is one check for an
 * absent object and the runtime path has no timing code.
 */
export interface BenchHooks {
  /** A pushed snapshot message arrived, before it is decoded (renderer/bridge.ts). */
  messageReceived?(): void;
  /** React committed a render of a new snapshot (renderer/app.tsx), before layout and paint. */
  snapshotCommitted?(): void;
  /** A snapshot reached the store (renderer/store.ts). */
  snapshotStored?(): void;
}

export const BENCH_HOOKS_GLOBAL = '__clawBenchHooks';

/** The installed hooks, read once: the benchmark installs them before any page script runs. */
export const benchHooks: BenchHooks | undefined = (globalThis as { [BENCH_HOOKS_GLOBAL]?: BenchHooks })[BENCH_HOOKS_GLOBAL];
