/**
 * The header row of a table built from column descriptors: one `<th>` per
 * column, a sort button where the column sorts, and `aria-sort` on the one in use.
 * Both tables use it, so a header and its cells can't drift apart.
 */
import { cellClass, type ColumnDef } from './columns.js';

export interface ColumnHeadersProps<S extends string> {
  // Header cells read only the descriptor's label, sort key and classes, whatever the row type.
  readonly columns: ReadonlyArray<Pick<ColumnDef<never, S, never>, 'id' | 'label' | 'sortKey' | 'className' | 'hideWhenNarrow'>>;
  readonly sort: { readonly column: S | string; readonly direction: 'asc' | 'desc' };
  readonly onSort: (column: S) => void;
}

export function ColumnHeaders<S extends string>({ columns, sort, onSort }: ColumnHeadersProps<S>) {
  return (
    <tr>
      {columns.map((c) => {
        const sorted = c.sortKey !== undefined && sort.column === c.sortKey;
        return (
          <th key={c.id} scope="col" className={cellClass({ ...c, className: c.className?.replace('sensitive', '').trim() })} aria-sort={sorted ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
            {c.sortKey ? (
              <button type="button" className="sort" onClick={() => onSort(c.sortKey!)}>
                {c.label}
                <span aria-hidden="true">{sorted ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}</span>
              </button>
            ) : (
              c.label
            )}
          </th>
        );
      })}
    </tr>
  );
}
