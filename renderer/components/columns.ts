/**
 * A table column written once: header label, the sort its header asks for, what
 * the text filter finds in it, and its cell. A table's header, cells and filter
 * all read one list of these (issue 13 item 3; TanStack Table's column
 * definitions are the model).
 */
import type { ReactNode } from 'react';

/** One column of a table over rows `R` sorted by `S`, with what a cell may need at render (`C`). */
export interface ColumnDef<R, S extends string, C = undefined> {
  readonly id: string;
  readonly label: string;
  /** The sort its header asks for; absent: not sortable. */
  readonly sortKey?: S;
  /** What the text filter finds in this column. */
  readonly filterText?: (row: R) => string | undefined;
  readonly cell: (row: R, ctx: C) => ReactNode;
  /** Classes for its cells (`sensitive` ones blur with the privacy toggle). */
  readonly className?: string;
  /** Left out when the list is narrow (a small window, or the details panel open), so the rest stay readable. */
  readonly hideWhenNarrow?: boolean;
}

/** A column's cell classes: its own, and `hide-narrow` when it gives way in a narrow list. */
export function cellClass(c: { readonly className?: string; readonly hideWhenNarrow?: boolean }): string | undefined {
  return [c.className, c.hideWhenNarrow ? 'hide-narrow' : undefined].filter(Boolean).join(' ') || undefined;
}
