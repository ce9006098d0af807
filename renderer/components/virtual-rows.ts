import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { useVirtualizer, type Virtualizer, type VirtualItem } from '@tanstack/react-virtual';

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
function useHeaderHeight(ref: RefObject<HTMLElement | null>): number {
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

/** The drawn row with `key`, if any. The drawn rows are a screenful: a walk needs no selector escaping of keys. */
export function drawnRow(body: HTMLTableSectionElement | null | undefined, key: string): HTMLTableRowElement | undefined {
  return body ? [...body.rows].find((row) => row.dataset.key === key) : undefined;
}

/**
 * Moves keyboard focus to the row with `key`: now, if it is drawn (the usual
 * step of one row), so a key held down never acts on the row it is leaving;
 * else after the scroll has drawn it. The virtualiser does the scrolling, with
 * the header allowed for, so focusing doesn't scroll again.
 */
export function focusRow(body: HTMLTableSectionElement | null, key: string): void {
  const find = () => drawnRow(body, key);
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
function useFocusStaysInTable(body: RefObject<HTMLTableSectionElement | null>, scrollBox: RefObject<HTMLElement | null>): void {
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

export interface VirtualRows {
  readonly virtualizer: Virtualizer<HTMLDivElement, Element>;
  /** For the table's `<thead>`: its height is where row 0 starts. */
  readonly headRef: RefObject<HTMLTableSectionElement | null>;
  /** The rows to draw. */
  readonly items: VirtualItem[];
  /** Heights of the spacer rows above and below the drawn ones. */
  readonly padTop: number;
  readonly padBottom: number;
}

/**
 * A table's virtual rows, set up one way for both tables: only the rows in view
 * (and {@link OVERSCAN_ROWS} beyond) are drawn, below a sticky header whose
 * height the virtualiser allows for, and keyboard focus stays in the table.
 */
export function useVirtualRows(count: number, getItemKey: (index: number) => string, scrollRef: RefObject<HTMLDivElement | null>, bodyRef: RefObject<HTMLTableSectionElement | null>): VirtualRows {
  const headRef = useRef<HTMLTableSectionElement>(null);
  const headerPx = useHeaderHeight(headRef);
  useFocusStaysInTable(bodyRef, scrollRef);
  // eslint-disable-next-line react-hooks/incompatible-library -- its functions are fresh each render by design; this app doesn't use the React Compiler.
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: OVERSCAN_ROWS,
    getItemKey,
    initialRect: { width: 1200, height: 800 },
    scrollMargin: headerPx,
    scrollPaddingStart: headerPx,
  });
  const items = virtualizer.getVirtualItems();
  // Item positions count from the scroll box's top, header included; the spacers count from the body's.
  const padTop = items.length ? items[0]!.start - headerPx : 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - (items[items.length - 1]!.end - headerPx) : 0;
  return { virtualizer, headRef, items, padTop, padBottom };
}
