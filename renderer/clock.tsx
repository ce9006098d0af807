/**
 * The window's clocks for components: the gateway's time (page clock plus the
 * offset the store estimated) and the one ticker that wakes them.
 */
import { createContext, useContext, useEffect, useState } from 'react';
import { createTicker, type Ticker } from './ticker.js';

export interface Clock {
  readonly ticker: Ticker;
  /** Gateway time now, as best the window knows it. */
  gatewayNow(): number;
  /** Page time minus gateway time: add to a gateway time to get the page time to wake at. */
  gatewayToPageMs(): number;
}

let defaultTicker: Ticker | undefined;
/** The window's ticker; made on first use, so it reads the page's visibility. */
export function windowTicker(): Ticker {
  return (defaultTicker ??= createTicker());
}

/**
 * Null when no live clock is provided (a component rendered on its own, as in a
 * test): ages then show the time they are given and never tick.
 */
export const ClockContext = createContext<Clock | null>(null);

export function useClock(): Clock | null {
  return useContext(ClockContext);
}

/**
 * Page time that re-renders its caller every second while `active` (a countdown
 * such as "Reconnecting in 4 s"), and not at all otherwise.
 */
export function useSecondTick(active: boolean, ticker: Ticker = windowTicker()): number {
  const [now, setNow] = useState(() => ticker.now());
  useEffect(() => {
    if (!active) return;
    let cancel = () => {};
    const arm = () => {
      const t = ticker.now();
      cancel = ticker.at(t + 1000 - (t % 1000), () => {
        setNow(ticker.now());
        arm();
      });
    };
    // Catch up at once when the countdown starts.
    cancel = ticker.at(ticker.now(), () => {
      setNow(ticker.now());
      arm();
    });
    return () => cancel();
  }, [active, ticker]);
  return now;
}
