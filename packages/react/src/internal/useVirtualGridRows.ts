import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useCallback } from 'react';

/** Height of a grid row (and of the sticky header row) in pixels. */
export const gridRowHeight = 36;

const keyMoves: Record<string, (index: number, pageSize: number, last: number) => number> = {
  ArrowDown: (index) => index + 1,
  ArrowUp: (index) => index - 1,
  PageDown: (index, pageSize) => index + pageSize,
  PageUp: (index, pageSize) => index - pageSize,
  Home: () => 0,
  End: (_index, _pageSize, last) => last,
};

export interface VirtualGridRowsOptions {
  rowCount: number;
  /** Height of the scrolling area in pixels. */
  height: number;
  getScrollElement: () => HTMLDivElement | null;
  /** The active row, already clamped to the rows. */
  activeIndex: number;
  setActiveIndex: (index: number) => void;
  /** Enter or Space on the active row. */
  onSelectIndex: (index: number) => void;
}

export interface VirtualGridRows {
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  /** Moves the active row (clamped) and scrolls it into view. */
  moveTo: (index: number) => void;
  pageSize: number;
  onKeyDown: (event: KeyboardEvent<HTMLTableElement>) => void;
}

/**
 * The virtualized rows and the APG grid keyboard model of a `<table role="grid">`: ↑/↓, Page Up/Down,
 * Home/End move the active row, Enter/Space select it. Shared by `VirtualGrid` and `StudyList.Grid`.
 */
export function useVirtualGridRows(options: VirtualGridRowsOptions): VirtualGridRows {
  const { rowCount, height, getScrollElement, activeIndex, setActiveIndex, onSelectIndex } = options;
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement,
    estimateSize: () => gridRowHeight,
    overscan: 8,
    // The sticky header sits above the first row inside the scrolling area.
    paddingStart: gridRowHeight,
    scrollPaddingStart: gridRowHeight,
    initialRect: { width: 800, height },
    // The virtualizer's first size measurement happens in a layout effect; flushSync there makes
    // React warn. A normal batched update renders the same rows a frame later at most.
    useFlushSync: false,
  });
  const moveTo = useCallback(
    (index: number) => {
      const clamped = Math.max(0, Math.min(rowCount - 1, index));
      setActiveIndex(clamped);
      virtualizer.scrollToIndex(clamped, { align: 'auto' });
    },
    [rowCount, setActiveIndex, virtualizer],
  );
  const pageSize = Math.max(1, Math.floor(height / gridRowHeight) - 2);
  function onKeyDown(event: KeyboardEvent<HTMLTableElement>) {
    const move = keyMoves[event.key];
    if (move) {
      event.preventDefault();
      moveTo(move(activeIndex, pageSize, rowCount - 1));
    } else if ((event.key === 'Enter' || event.key === ' ') && activeIndex < rowCount) {
      event.preventDefault();
      onSelectIndex(activeIndex);
    }
  }
  return { virtualizer, moveTo, pageSize, onKeyDown };
}
