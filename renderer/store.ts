/**
 * One store for the window: the latest snapshot, the viewer's estimate of the
 * gateway's clock, and a single `now` that ticks once a second so every age
 * and badge moves together without refetching.
 */
import type { InstancesApi, PublicSettings, ViewSnapshot } from '../shared/ipc/contract.js';

export interface StoreState {
  readonly snapshot?: ViewSnapshot;
  /** Gateway time minus this page's clock: right even when this machine's clock is off. */
  readonly viewerOffsetMs: number;
  /** The core's clock minus this page's (for "reconnecting in N s", which the core times). */
  readonly hostOffsetMs: number;
  /** The gateway's time now, as best we know it. */
  readonly gatewayNowMs: number;
  /** The core's time now (ticks with gatewayNowMs). */
  readonly hostNowMs: number;
  readonly settings?: PublicSettings;
  /** Browser shell only: whether the page still reaches its host. */
  readonly hostReachable: boolean;
}

export interface Store {
  getState(): StoreState;
  subscribe(listener: () => void): () => void;
  setSettings(settings: PublicSettings): void;
  setHostReachable(up: boolean): void;
  attach(api: InstancesApi): () => void;
}

/**
 * Records how long it takes from a snapshot reaching the store to the frame after
 * it (`claw:apply-to-paint`), as a User Timing measure the benchmarks read; only
 * the latest is kept so a long-running window doesn't pile them up.
 */
function markApplyToPaint(): void {
  if (typeof performance === 'undefined' || typeof requestAnimationFrame === 'undefined') return;
  const start = performance.now();
  requestAnimationFrame(() =>
    setTimeout(() => {
      performance.clearMeasures('claw:apply-to-paint');
      performance.measure('claw:apply-to-paint', { start });
    }, 0),
  );
}

export function createStore(clock: () => number = Date.now): Store {
  let state: StoreState = { viewerOffsetMs: 0, hostOffsetMs: 0, gatewayNowMs: clock(), hostNowMs: clock(), hostReachable: true };
  const listeners = new Set<() => void>();
  const set = (next: Partial<StoreState>) => {
    state = { ...state, ...next };
    for (const l of listeners) l();
  };
  const onSnapshot = (incoming: ViewSnapshot) => {
    markApplyToPaint();
    // Most snapshots change only the connection or beacon report; keeping the same list
    // object when the list wasn't re-confirmed lets every selector over it skip its work.
    const previous = state.snapshot;
    const snapshot =
      previous && previous.listVersion === incoming.listVersion && previous.gateway.url === incoming.gateway.url
        ? { ...incoming, entries: previous.entries, self: previous.self }
        : incoming;
    const now = clock();
    const viewerOffsetMs = snapshot.gatewayNowMs - now;
    const hostOffsetMs = snapshot.gatewayNowMs - snapshot.clockOffsetMs - now;
    set({ snapshot, viewerOffsetMs, hostOffsetMs, gatewayNowMs: now + viewerOffsetMs, hostNowMs: now + hostOffsetMs });
  };
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setSettings: (settings) => set({ settings }),
    setHostReachable: (hostReachable) => set({ hostReachable }),
    attach(api) {
      const off = api.onSnapshot(onSnapshot);
      void api.getSnapshot().then(onSnapshot, () => {});
      void api.getSettings().then((settings) => set({ settings }), () => {});
      const timer = setInterval(() => {
        const now = clock();
        set({ gatewayNowMs: now + state.viewerOffsetMs, hostNowMs: now + state.hostOffsetMs });
      }, 1000);
      return () => {
        off();
        clearInterval(timer);
      };
    },
  };
}
