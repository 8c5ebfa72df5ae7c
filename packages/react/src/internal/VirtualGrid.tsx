import { type CSSProperties, type ReactNode, useId, useState } from 'react';
import { gridRowHeight as rowHeight, useVirtualGridRows } from './useVirtualGridRows.js';

export interface VirtualGridColumn<Row> {
  id: string;
  label: string;
  /** CSS grid track. */
  width: string;
  render: (row: Row) => ReactNode;
  /** Absent: the column is not sortable. */
  sortValue?: (row: Row) => string | number;
}

export interface VirtualGridSort {
  column: string;
  direction: 'ascending' | 'descending';
}

export interface VirtualGridProps<Row> {
  rows: readonly Row[];
  columns: readonly VirtualGridColumn<Row>[];
  rowId: (row: Row) => string;
  selected: string | undefined;
  onSelect: (id: string) => void;
  sort: VirtualGridSort | undefined;
  onSortChange: (sort: VirtualGridSort) => void;
  height: number;
  'aria-label': string;
  rowAttributes?: (row: Row) => Record<string, string>;
}

/** A stable sort by one column. */
export function sortRows<Row>(
  rows: readonly Row[],
  columns: readonly VirtualGridColumn<Row>[],
  sort: VirtualGridSort | undefined,
): readonly Row[] {
  const column = sort && columns.find((candidate) => candidate.id === sort.column);
  if (!sort || !column?.sortValue) return rows;
  const factor = sort.direction === 'ascending' ? 1 : -1;
  const keyed = rows.map((row) => [column.sortValue!(row), row] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -factor : a[0] > b[0] ? factor : 0));
  return keyed.map(([, row]) => row);
}

/**
 * A `<table role="grid">` whose rows are virtualized (only the visible ones are in the DOM), with
 * sortable column headers and the APG grid keyboard model: focus stays on the grid,
 * aria-activedescendant names the active row; ↑/↓, Page Up/Down, Home/End move, Enter/Space select.
 */
export function VirtualGrid<Row>(props: VirtualGridProps<Row>) {
  const { rows, columns, rowId, selected, onSelect, sort, onSortChange, height } = props;
  const [activeIndex, setActiveIndex] = useState(0);
  const active = Math.min(activeIndex, Math.max(rows.length - 1, 0));
  const idPrefix = useId();
  const [scrollElement, setScrollElement] = useState<HTMLDivElement | null>(null);
  const { virtualizer, onKeyDown } = useVirtualGridRows({
    rowCount: rows.length,
    height,
    getScrollElement: () => scrollElement,
    activeIndex: active,
    setActiveIndex,
    onSelectIndex: (index) => onSelect(rowId(rows[index]!)),
  });
  const gridTemplate = columns.map((column) => column.width).join(' ');
  return (
    <div
      ref={setScrollElement}
      className="pacs-viewport"
      style={{ '--pacs-list-height': `${height}px`, '--pacs-columns': gridTemplate } as CSSProperties}
    >
      <table
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the WAI-ARIA APG data grid is a table with role=grid.
        role="grid"
        aria-label={props['aria-label']}
        aria-rowcount={rows.length + 1}
        aria-colcount={columns.length}
        tabIndex={0}
        aria-activedescendant={`${idPrefix}-row-${active}`}
        onKeyDown={onKeyDown}
        className="pacs-table"
        style={{ height: virtualizer.getTotalSize() }}
      >
        <thead className="pacs-table-head-group">
          <tr aria-rowindex={1} className="pacs-table-head" style={{ height: rowHeight }}>
            {columns.map((column) => {
              const direction = sort?.column === column.id ? sort.direction : undefined;
              return (
                <th key={column.id} scope="col" aria-sort={direction ?? 'none'} className="pacs-cell">
                  {column.sortValue ? (
                    <button
                      type="button"
                      className="pacs-sort"
                      onClick={() =>
                        onSortChange({
                          column: column.id,
                          direction: direction === 'ascending' ? 'descending' : 'ascending',
                        })
                      }
                    >
                      {column.label}
                      {direction ? (
                        <span aria-hidden="true">{direction === 'ascending' ? ' ▲' : ' ▼'}</span>
                      ) : null}
                    </button>
                  ) : (
                    column.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="pacs-table-body">
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            const id = rowId(row);
            const isSelected = id === selected;
            return (
              <tr
                key={id}
                id={`${idPrefix}-row-${item.index}`}
                data-index={item.index}
                aria-rowindex={item.index + 2}
                aria-selected={isSelected}
                data-state={isSelected ? 'selected' : 'idle'}
                data-active={item.index === active ? '' : undefined}
                className="pacs-row"
                style={{ transform: `translateY(${item.start}px)`, height: rowHeight }}
                {...props.rowAttributes?.(row)}
                onClick={() => {
                  setActiveIndex(item.index);
                  onSelect(id);
                }}
              >
                {columns.map((column) => (
                  <td key={column.id} className="pacs-cell">
                    {column.render(row)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
