import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { createTicker, type TickerEnv } from '../../../renderer/ticker.js';
import { ClockContext, type Clock } from '../../../renderer/clock.js';
import { Age } from '../../../renderer/components/age.js';
import { createStore, type Visibility } from '../../../renderer/store.js';
import type { InstancesApi } from '../../../shared/ipc/bridge.js';
import type { ViewSnapshot } from '../../../shared/ipc/contract.js';
import { viewSnapshot } from '../../helpers/view-snapshot.js';

afterEach(cleanup);

/** A page clock and timers the test moves by hand, and a visibility it flips. */
function fakeEnv() {
  let now = 1_000_000;
  let hidden = false;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let nextId = 1;
  const visibilityListeners = new Set<() => void>();
  const env: TickerEnv = {
    now: () => now,
    setTimer: (fn, ms) => {
      timers.set(nextId, { at: now + ms, fn });
      return nextId++;
    },
    clearTimer: (h) => timers.delete(h as number),
    isHidden: () => hidden,
    onVisibility: (l) => visibilityListeners.add(l),
  };
  return {
    env,
    timers,
    get now() {
      return now;
    },
    /** Moves the clock, firing timers that fall due in order. */
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
      }
      now = end;
    },
    setHidden(h: boolean) {
      hidden = h;
      visibilityListeners.forEach((l) => l());
    },
  };
}

describe('ticker', () => {
  it('keeps one timer for the earliest job and runs each job once', () => {
    const f = fakeEnv();
    const ticker = createTicker(f.env);
    const ran: string[] = [];
    ticker.at(f.now + 5000, () => ran.push('b'));
    ticker.at(f.now + 1000, () => ran.push('a'));
    expect(f.timers.size).toBe(1);
    f.advance(1000);
    expect(ran).toEqual(['a']);
    f.advance(4000);
    expect(ran).toEqual(['a', 'b']);
    expect(f.timers.size).toBe(0);
  });

  it('runs no timer while hidden and catches up once on show', () => {
    const f = fakeEnv();
    const ticker = createTicker(f.env);
    const ran: number[] = [];
    ticker.at(f.now + 1000, () => ran.push(1));
    ticker.at(f.now + 2000, () => ran.push(2));
    f.setHidden(true);
    expect(f.timers.size).toBe(0);
    ticker.at(f.now + 500, () => ran.push(3));
    expect(f.timers.size).toBe(0);
    f.advance(60_000);
    expect(ran).toEqual([]);
    f.setHidden(false);
    expect(ran.sort()).toEqual([1, 2, 3]);
    expect(f.timers.size).toBe(0);
  });
});

describe('Age', () => {
  function clockFor(f: ReturnType<typeof fakeEnv>, offsetMs = 0): Clock {
    const ticker = createTicker(f.env);
    return { ticker, gatewayNow: () => f.now + offsetMs, gatewayToPageMs: () => -offsetMs };
  }

  it('writes its own text in 10 s steps under a minute, then each minute, without a React render', () => {
    const f = fakeEnv();
    const clock = clockFor(f, 5_000_000);
    let renders = 0;
    function Row() {
      renders += 1;
      return <Age sinceMs={clock.gatewayNow() - 38_500} prefix="updated " suffix=" ago" />;
    }
    const { container } = render(
      <ClockContext.Provider value={clock}>
        <Row />
      </ClockContext.Provider>,
    );
    const text = () => container.textContent;
    expect(text()).toBe('updated 30s ago');
    // The text turns 40s at 1.5 s, but it is drawn on the page clock's 10 s grid: at 10 s.
    act(() => f.advance(9_999));
    expect(text()).toBe('updated 30s ago');
    act(() => f.advance(1));
    expect(text()).toBe('updated 40s ago');
    act(() => f.advance(10_000));
    expect(text()).toBe('updated 50s ago');
    act(() => f.advance(10_000));
    expect(text()).toBe('updated 1m ago');
    // Now a minute-long step: one timer, on the grid after the text next changes (age 2 min).
    expect(f.timers.size).toBe(1);
    expect([...f.timers.values()][0]!.at - f.now).toBe(60_000);
    act(() => f.advance(59_999));
    expect(text()).toBe('updated 1m ago');
    act(() => f.advance(1));
    expect(text()).toBe('updated 2m ago');
    expect(renders).toBe(1);
  });

  it('says "just now" under 10 s, without its "ago"', () => {
    const f = fakeEnv();
    const clock = clockFor(f);
    const { container } = render(
      <ClockContext.Provider value={clock}>
        <Age sinceMs={f.now - 2_000} prefix="updated " suffix=" ago" />
      </ClockContext.Provider>,
    );
    expect(container.textContent).toBe('updated just now');
    act(() => f.advance(10_000));
    expect(container.textContent).toBe('updated 10s ago');
  });

  it('wakes every age on screen in one task every 10 s, whatever their phases', () => {
    const f = fakeEnv();
    const clock = clockFor(f);
    const { container } = render(
      <ClockContext.Provider value={clock}>
        {[0, 3_137, 6_420, 9_999].map((phase) => (
          <Age key={phase} sinceMs={f.now - 10_000 - phase} suffix=" " />
        ))}
      </ClockContext.Provider>,
    );
    expect(container.textContent).toBe('10s 10s 10s 10s ');
    expect(f.timers.size).toBe(1);
    // Each one's text turns 20s at a different moment; none is drawn before the grid.
    act(() => f.advance(9_999));
    expect(container.textContent).toBe('10s 10s 10s 10s ');
    act(() => f.advance(1));
    expect(container.textContent).toBe('20s 20s 20s 20s ');
    expect(f.timers.size).toBe(1);
  });

  it('stops while the window is hidden and shows the right age on return', () => {
    const f = fakeEnv();
    const clock = clockFor(f);
    const { container } = render(
      <ClockContext.Provider value={clock}>
        <Age sinceMs={f.now} format="spaced" />
      </ClockContext.Provider>,
    );
    f.setHidden(true);
    expect(f.timers.size).toBe(0);
    act(() => f.advance(3 * 3_600_000));
    expect(container.textContent).toBe('just now');
    act(() => f.setHidden(false));
    expect(container.textContent).toBe('3 h');
    expect([...f.timers.values()][0]!.at - f.now).toBe(3_600_000);
  });
});

describe('store while hidden', () => {
  it('tells nobody while the page is hidden, and once when it is shown', () => {
    let hidden = false;
    const listeners = new Set<() => void>();
    const visibility: Visibility = {
      isHidden: () => hidden,
      onChange: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
    const store = createStore(() => 0, visibility);
    let push: (s: ViewSnapshot) => void = () => {};
    const api = {
      getSnapshot: () => new Promise<ViewSnapshot>(() => {}),
      onSnapshot: (l: (s: ViewSnapshot) => void) => {
        push = l;
        return () => {};
      },
      getSettings: () => new Promise(() => {}),
      pauseUpdates: async () => {},
      resumeUpdates: async () => {},
    } as unknown as InstancesApi;
    const detach = store.attach(api);
    let told = 0;
    store.subscribe(() => (told += 1));
    hidden = true;
    for (let v = 1; v <= 5; v += 1) push(viewSnapshot([{ host: 'a', ts: v, text: '' }], v));
    expect(told).toBe(0);
    hidden = false;
    listeners.forEach((l) => l());
    expect(told).toBe(1);
    expect(store.getState().snapshot!.gateways[0]!.listVersion).toBe(5);
    detach();
  });
});
