/**
 * One store for the window: the latest snapshot (every gateway's view) and the
 * page's estimate of the core's clock; each gateway's own clock is the core's
 * plus that gateway's `clockOffsetMs`. It does not tick: ages keep themselves current
 * (`components/age.tsx`) and statuses are re-derived when one is due to change
 * (`app.tsx`), so an idle window does almost nothing. While the page is hidden it
 * keeps the newest state but tells nobody, and tells once when shown.
 */
import type { InstancesApi } from '../shared/ipc/bridge.js';
import type { GatewayView, PublicSettings, ViewSnapshot } from '../shared/ipc/contract.js';
import { benchHooks } from './bench-hooks.js';
import { Emitter } from '../shared/events/emitter.js';

export interface StoreState {
  readonly snapshot?: ViewSnapshot;
  /**
   * The core's clock minus this page's. Every time on screen is on the core's clock
   * plus its gateway's offset, so ages are right even when the page's machine (the
   * browser shell's, possibly another one) has its clock off.
   */
  readonly coreOffsetMs: number;
  /** The core's time when the last snapshot arrived (it does not tick; see `Clock`). */
  readonly coreNowMs: number;
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
function sameRemembered(a: NonNullable<GatewayView['remembered']>, b: NonNullable<GatewayView['remembered']>): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.key !== y.key || x.lastSeenAtMs !== y.lastSeenAtMs || x.firstSeenAtMs !== y.firstSeenAtMs || x.entry.ts !== y.entry.ts) return false;
  }
  return true;
}

/**
 * A gateway's view with the parts that didn't change kept as the previous objects:
 * most pushes change only a connection state or a beacon report, and keeping the same
 * list, known nodes and remembered machines lets every selector over them skip its work.
 */
export function keepUnchanged(previous: GatewayView | undefined, incoming: GatewayView): GatewayView {
  if (!previous) return incoming;
  const sameList = previous.listVersion === incoming.listVersion && previous.gateway.url === incoming.gateway.url;
  const keepKnown = previous.known !== undefined && incoming.known !== undefined && previous.known.readAtMs === incoming.known.readAtMs;
  const keepRemembered = previous.remembered !== undefined && incoming.remembered !== undefined && sameRemembered(previous.remembered, incoming.remembered);
  if (!sameList && !keepKnown && !keepRemembered) return incoming;
  return {
    ...incoming,
    ...(sameList ? { entries: previous.entries, self: previous.self } : {}),
    ...(keepKnown ? { known: previous.known } : {}),
    ...(keepRemembered ? { remembered: previous.remembered } : {}),
  };
}

export function createStore(clock: () => number = Date.now, visibility: Visibility | undefined = documentVisibility()): Store {
  let state: StoreState = { coreOffsetMs: 0, coreNowMs: clock(), hostReachable: true };
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
    benchHooks?.snapshotStored?.();
    const previous = new Map(state.snapshot?.gateways.map((g) => [g.id, g]));
    const gateways = incoming.gateways.map((g) => keepUnchanged(previous.get(g.id), g));
    const unchanged = state.snapshot !== undefined && gateways.length === state.snapshot.gateways.length && gateways.every((g, i) => g === state.snapshot!.gateways[i]);
    const snapshot = unchanged ? state.snapshot! : { ...incoming, gateways };
    const now = clock();
    // Any gateway's view tells the core's time (its own time minus its offset); with none, keep the last estimate.
    const first = gateways[0];
    const coreOffsetMs = first ? first.gatewayNowMs - first.clockOffsetMs - now : state.coreOffsetMs;
    set({ snapshot, coreOffsetMs, coreNowMs: now + coreOffsetMs });
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
