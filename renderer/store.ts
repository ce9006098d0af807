/**
 * One store for the window: the latest snapshot (every gateway's view) and the
 * page's estimate of the core's clock; each gateway's own clock is the core's
 * plus that gateway's `clockOffsetMs`. It does not tick: ages keep themselves current
 * (`components/age.tsx`) and statuses are re-derived when one is due to change
 * (`app.tsx`), so an idle window does almost nothing. While the page is hidden the
 * core sends it nothing (`pauseUpdates`) and nobody is told; when shown, the core
 * sends what changed meanwhile as one catch-up (`resumeUpdates`), drawn once.
 *
 * At most one render per frame: an update after a quiet spell is drawn at once,
 * but updates that follow it within a frame (a storm of beacons, 300 a second
 * across gateways) are held and drawn together at the next frame. Each message
 * is still decoded as it comes, so the window never falls behind the stream.
 */
import type { InstancesApi } from '../shared/ipc/bridge.js';
import type { PublicSettings, ViewSnapshot } from '../shared/ipc/contract.js';
import { benchHooks } from './bench-hooks.js';
import { Emitter } from '../shared/events/emitter.js';
import { paced, type PacedTimers } from '../shared/events/paced.js';

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

/** One step of the work before a render (see `Store.setPrepare`), with the newest state. */
export type PrepareStep = (state: StoreState) => void;

export interface Store {
  getState(): StoreState;
  subscribe(listener: () => void): () => void;
  setSettings(settings: PublicSettings): void;
  setHostReachable(up: boolean): void;
  attach(api: InstancesApi): () => void;
  /**
   * Work to do before the view is told of a new state, each step in a task of its
   * own: the window warms its models' memory there (FleetModel), so the heavy parts
   * of an update and React's render of it run as several tasks, not one, and a
   * frame can be drawn between them. Steps may not change what is shown, only when
   * the work is done: the render computes the same.
   */
  setPrepare(steps: readonly PrepareStep[] | undefined): void;
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

const FRAME_MS = 1000 / 60;

/**
 * The page's clock and frames, as `paced` takes timers: whatever the wait asked
 * (always under a frame here), the call comes just before the next frame is drawn.
 */
export function animationFrames(): PacedTimers {
  if (typeof requestAnimationFrame !== 'function') {
    return { now: () => performance.now(), setTimer: (fn, ms) => setTimeout(fn, ms), clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };
  }
  return { now: () => performance.now(), setTimer: (fn) => requestAnimationFrame(() => fn()), clearTimer: (h) => cancelAnimationFrame(h as number) };
}

/** Runs `fn` in a task of its own, as soon as the event loop gets to it (no timer clamping). */
export function nextTask(): (fn: () => void) => void {
  if (typeof MessageChannel !== 'function') return (fn) => setTimeout(fn, 0);
  const channel = new MessageChannel();
  const queue: Array<() => void> = [];
  channel.port1.onmessage = () => queue.shift()?.();
  return (fn) => {
    queue.push(fn);
    channel.port2.postMessage(null);
  };
}

export function createStore(
  clock: () => number = Date.now,
  visibility: Visibility | undefined = documentVisibility(),
  frames: PacedTimers = animationFrames(),
  inNextTask: (fn: () => void) => void = nextTask(),
): Store {
  let state: StoreState = { coreOffsetMs: 0, coreNowMs: clock(), hostReachable: true };
  const listeners = new Emitter((error) => console.error('a store listener threw', error));
  let held = false;
  let prepare: readonly PrepareStep[] = [];
  let preparing = false;
  let told: StoreState | undefined;
  const tellNow = () => {
    told = state;
    listeners.emit();
  };
  const notify = () => {
    held = false;
    // A frame's turn for a state the window was already told of (the steps below told it).
    if (state === told) return;
    if (prepare.length === 0) {
      tellNow();
      return;
    }
    // One run of the steps at a time: each step reads the newest state when it runs.
    if (preparing) return;
    preparing = true;
    const steps = prepare;
    const run = (i: number) => {
      if (visibility?.isHidden()) {
        preparing = false;
        held = true;
        return;
      }
      try {
        steps[i]!(state);
      } catch (error) {
        // Only timing is lost: the render does the same work and shows its own error.
        console.error('preparing the window failed', error);
      }
      if (i + 1 < steps.length) {
        inNextTask(() => run(i + 1));
        return;
      }
      preparing = false;
      tellNow();
    };
    inNextTask(() => run(0));
  };
  // At most once per frame (shared/events/paced.ts), with the newest state; hidden, held for the show.
  const tell = paced<void>(() => (visibility?.isHidden() ? (held = true) : notify()), FRAME_MS, frames);
  const set = (next: Partial<StoreState>) => {
    state = { ...state, ...next };
    // Hidden: no render for a window nobody sees; the newest state is drawn once on show.
    if (visibility?.isHidden()) held = true;
    else tell.push();
  };
  const onSnapshot = (incoming: ViewSnapshot) => {
    benchHooks?.snapshotStored?.();
    // The decoder (shared/ipc/snapshot-stream.ts) hands over unchanged lists, known nodes and
    // remembered machines as the objects the page already has, so selectors over them skip their work.
    const snapshot = incoming;
    const gateways = snapshot.gateways;
    const now = clock();
    // Each gateway's view carries the core's time when it was made (its own time minus its offset);
    // the newest of them is the push that just arrived. With none, keep the last estimate.
    let coreAtPush = -Infinity;
    for (const g of gateways) coreAtPush = Math.max(coreAtPush, g.gatewayNowMs - g.clockOffsetMs);
    const coreOffsetMs = Number.isFinite(coreAtPush) ? coreAtPush - now : state.coreOffsetMs;
    set({ snapshot, coreOffsetMs, coreNowMs: now + coreOffsetMs });
  };
  return {
    getState: () => state,
    subscribe(listener) {
      return listeners.on(listener);
    },
    setSettings: (settings) => set({ settings }),
    setHostReachable: (hostReachable) => set({ hostReachable }),
    setPrepare: (steps) => {
      prepare = steps ?? [];
    },
    attach(api) {
      const off = api.onSnapshot(onSnapshot);
      void api.getSnapshot().then(onSnapshot, () => {});
      void api.getSettings().then((settings) => set({ settings }), () => {});
      // Calls are answered in order: a page that opens hidden pauses after its first snapshot.
      if (visibility?.isHidden()) void api.pauseUpdates().catch(() => {});
      const offVisibility = visibility?.onChange(() => {
        if (visibility.isHidden()) {
          void api.pauseUpdates().catch(() => {});
          return;
        }
        void api.resumeUpdates().catch(() => {});
        if (held) notify();
      });
      return () => {
        off();
        offVisibility?.();
      };
    },
  };
}
