/**
 * One store for the window: the latest snapshot and the viewer's estimate of the
 * gateway's clock. It does not tick: ages keep themselves current
 * (`components/age.tsx`) and statuses are re-derived when one is due to change
 * (`app.tsx`), so an idle window does almost nothing. While the page is hidden it
 * keeps the newest state but tells nobody, and tells once when shown.
 */
import type { InstancesApi, PublicSettings, ViewSnapshot } from '../shared/ipc/contract.js';
import { Emitter } from '../shared/events/emitter.js';

export interface StoreState {
  readonly snapshot?: ViewSnapshot;
  /** Gateway time minus this page's clock: right even when this machine's clock is off. */
  readonly viewerOffsetMs: number;
  /** The core's clock minus this page's (for "reconnecting in N s", which the core times). */
  readonly hostOffsetMs: number;
  /** The gateway's time when the last snapshot arrived (it does not tick; see `Clock`). */
  readonly gatewayNowMs: number;
  /** The core's time when the last snapshot arrived. */
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

/** Whether the page is hidden, and a subscription to changes; absent outside a browser page. */
export interface Visibility {
  isHidden(): boolean;
  onChange(listener: () => void): () => void;
}

export function documentVisibility(): Visibility | undefined {
  if (typeof document === 'undefined') return undefined;
  return {
    isHidden: () => document.visibilityState === 'hidden',
    onChange: (listener) => {
      document.addEventListener('visibilitychange', listener);
      return () => document.removeEventListener('visibilitychange', listener);
    },
  };
}

/** The same machines, last seen at the same times (a machine seen again has a new `lastSeenAtMs`). */
function sameRemembered(a: NonNullable<ViewSnapshot['remembered']>, b: NonNullable<ViewSnapshot['remembered']>): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.key !== y.key || x.lastSeenAtMs !== y.lastSeenAtMs || x.firstSeenAtMs !== y.firstSeenAtMs || x.entry.ts !== y.entry.ts) return false;
  }
  return true;
}

export function createStore(clock: () => number = Date.now, visibility: Visibility | undefined = documentVisibility()): Store {
  let state: StoreState = { viewerOffsetMs: 0, hostOffsetMs: 0, gatewayNowMs: clock(), hostNowMs: clock(), hostReachable: true };
  const listeners = new Emitter((error) => console.error('a store listener threw', error));
  let held = false;
  const notify = () => {
    held = false;
    listeners.emit();
  };
  const set = (next: Partial<StoreState>) => {
    state = { ...state, ...next };
    // Hidden: no render for a window nobody sees; the newest state is drawn once on show.
    if (visibility?.isHidden()) held = true;
    else notify();
  };
  const onSnapshot = (incoming: ViewSnapshot) => {
    markApplyToPaint();
    // Most snapshots change only the connection or beacon report; keeping the same list
    // object when the list wasn't re-confirmed lets every selector over it skip its work.
    const previous = state.snapshot;
    const sameList = previous && previous.listVersion === incoming.listVersion && previous.gateway.url === incoming.gateway.url;
    const base = sameList ? { ...incoming, entries: previous.entries, self: previous.self } : incoming;
    // Known nodes and remembered machines likewise: the same read keeps the same objects, so the
    // machine fold (keyed on them) runs only when something it reads changed.
    const keepKnown = previous?.known && incoming.known && previous.known.readAtMs === incoming.known.readAtMs;
    const keepRemembered = previous?.remembered && incoming.remembered && sameRemembered(previous.remembered, incoming.remembered);
    const snapshot = keepKnown || keepRemembered ? { ...base, ...(keepKnown ? { known: previous.known } : {}), ...(keepRemembered ? { remembered: previous.remembered } : {}) } : base;
    const now = clock();
    const viewerOffsetMs = snapshot.gatewayNowMs - now;
    const hostOffsetMs = snapshot.gatewayNowMs - snapshot.clockOffsetMs - now;
    set({ snapshot, viewerOffsetMs, hostOffsetMs, gatewayNowMs: now + viewerOffsetMs, hostNowMs: now + hostOffsetMs });
  };
  return {
    getState: () => state,
    subscribe(listener) {
      return listeners.on(listener);
    },
    setSettings: (settings) => set({ settings }),
    setHostReachable: (hostReachable) => set({ hostReachable }),
    attach(api) {
      const off = api.onSnapshot(onSnapshot);
      void api.getSnapshot().then(onSnapshot, () => {});
      void api.getSettings().then((settings) => set({ settings }), () => {});
      const offVisibility = visibility?.onChange(() => {
        if (held && !visibility.isHidden()) notify();
      });
      return () => {
        off();
        offVisibility?.();
      };
    },
  };
}
