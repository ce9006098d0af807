import { useLayoutEffect, useState, type RefObject } from 'react';

/** Row height used before a row is measured. */
export const ESTIMATED_ROW_PX = 50;

/**
 * Rows drawn beyond the visible ones, above and below, so a scroll finds them
 * ready. Every row in the DOM is laid out again when the table changes (a beacon,
 * an age's 10 s step), so this is kept to about a third of a screen: with twelve,
 * a 1200×800 window held 27–29 rows; with six it holds 21–23.
 */
export const OVERSCAN_ROWS = 6;

/**
 * The sticky header's height, px, followed as it changes (zoom, fonts). Rows
 * start below it in the scroll box, so the virtualiser takes it as its scroll
 * margin (where row 0 sits) and its scroll padding (what covers the top): a
 * row the keyboard moves to is then scrolled fully into view, not under the
 * header or past the bottom by the header's height.
 */
export function useHeaderHeight(ref: RefObject<HTMLElement | null>): number {
  const [px, setPx] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setPx(el.offsetHeight);
    // jsdom (component tests) has no ResizeObserver; its layout is all zeros anyway.
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const box = entry?.borderBoxSize[0];
      if (box) setPx(Math.round(box.blockSize));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return px;
}

/**
 * Moves keyboard focus to the row with `key`: now, if it is drawn (the usual
 * step of one row), so a key held down never acts on the row it is leaving;
 * else after the scroll has drawn it. The virtualiser does the scrolling, with
 * the header allowed for, so focusing doesn't scroll again.
 */
export function focusRow(body: HTMLTableSectionElement | null, key: string): void {
  // The drawn rows are a screenful: a walk needs no selector escaping of keys.
  const find = () => (body ? [...body.rows].find((row) => row.dataset.key === key) : undefined);
  const now = find();
  if (now) now.focus({ preventScroll: true });
  else requestAnimationFrame(() => find()?.focus({ preventScroll: true }));
}
