import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

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

/**
 * Keeps keyboard focus in the table when the focused row is no longer drawn:
 * a beacon re-sorted it out of view, its machine went, or a scroll took it
 * away. The browser would drop focus to the page, and the arrow keys would do
 * nothing; instead the first row fully in view takes it, and nothing scrolls.
 * Focus that leaves on purpose (another control, a click on the page) is let go.
 */
export function useFocusStaysInTable(body: RefObject<HTMLTableSectionElement | null>, scrollBox: RefObject<HTMLElement | null>): void {
  const inside = useRef(false);
  useEffect(() => {
    const el = body.current;
    if (!el) return;
    const onIn = () => {
      inside.current = true;
    };
    const onOut = (event: FocusEvent) => {
      const from = event.target;
      // A row removed while focused is disconnected by now: it keeps the claim.
      queueMicrotask(() => {
        if (from instanceof Node && from.isConnected) inside.current = el.contains(document.activeElement);
      });
    };
    el.addEventListener('focusin', onIn);
    el.addEventListener('focusout', onOut);
    return () => {
      el.removeEventListener('focusin', onIn);
      el.removeEventListener('focusout', onOut);
    };
  }, [body]);
  useLayoutEffect(() => {
    if (!inside.current) return;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const box = scrollBox.current;
    const el = body.current;
    if (!box || !el) return;
    const view = box.getBoundingClientRect();
    const top = box.querySelector('thead th')?.getBoundingClientRect().bottom ?? view.top;
    const row = [...el.rows].find((r) => {
      const at = r.getBoundingClientRect();
      return r.dataset.key !== undefined && at.top >= top - 1 && at.bottom <= view.bottom + 1;
    });
    if (row) row.focus({ preventScroll: true });
    else inside.current = false;
  });
}

/** Rows one PageDown moves: a screenful of the scroll box, less one row kept for context. */
export function rowsPerPage(scrollBox: HTMLElement | null): number {
  return Math.max(1, Math.floor((scrollBox?.clientHeight ?? 0) / ESTIMATED_ROW_PX) - 1);
}
