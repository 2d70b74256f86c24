// The rows of the records table to draw: every row is ROW_HEIGHT tall (records.css pins it), so the
// rows on screen follow from the scroll position by arithmetic, whatever the count — nothing is
// measured or kept per row, and 100,000 rows cost what 100 do. A scroll that changes the rows on
// screen renders them before that frame is painted; one within the same rows renders nothing.
import { useCallback, useLayoutEffect, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';

export interface RowGeometry {
  rowHeight: number;
  /** The sticky header's height: rows start below it and it covers the top of the scroll box. */
  headerHeight: number;
}

/** The rows on screen, first and last (before clamping to the count), for a scroll box's view. */
export interface VisibleRows {
  first: number;
  last: number;
}

export function visibleRows({ rowHeight, headerHeight }: RowGeometry, scrollTop: number, clientHeight: number): VisibleRows {
  const first = Math.max(0, Math.floor((scrollTop - headerHeight) / rowHeight));
  const last = Math.max(first, Math.ceil((scrollTop + clientHeight - headerHeight) / rowHeight) - 1);
  return { first, last };
}

const sameRows = (one: VisibleRows, other: VisibleRows) => one.first === other.first && one.last === other.last;

/** The scrollTop that shows row `index` whole (under the header), moving as little as it can; undefined when it shows already. */
export function scrollTopFor({ rowHeight, headerHeight }: RowGeometry, index: number, scrollTop: number, clientHeight: number): number | undefined {
  const start = headerHeight + index * rowHeight;
  const end = start + rowHeight;
  if (start < scrollTop + headerHeight) return start - headerHeight;
  if (end > scrollTop + clientHeight) return end - clientHeight;
  return undefined;
}

export interface RowWindow {
  /** The rows to draw: those on screen and `overscan` more each side, within the count (none when it is 0). */
  first: number;
  last: number;
  /** The first row on screen. */
  visible: number;
  /** Heights of the space above and below the rows drawn. */
  above: number;
  below: number;
  /** Scrolls so that row `index` shows whole. */
  scrollToRow(index: number): void;
}

export function useRowWindow(
  scrollRef: RefObject<HTMLElement | null>,
  geometry: RowGeometry,
  { count, overscan }: { count: number; overscan: number },
): RowWindow {
  const { rowHeight, headerHeight } = geometry;
  const [shown, setShown] = useState<VisibleRows>({ first: 0, last: 0 });

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const read = () => visibleRows({ rowHeight, headerHeight }, element.scrollTop, element.clientHeight);
    let current = read();
    setShown((now) => (sameRows(now, current) ? now : current));
    const follow = (sync: boolean) => () => {
      const next = read();
      if (sameRows(next, current)) return;
      current = next;
      // A scroll renders its rows before this frame paints, so they are never shown missing.
      if (sync) flushSync(() => setShown(next));
      else setShown(next);
    };
    const onScroll = follow(true);
    const observer = new ResizeObserver(follow(false));
    observer.observe(element);
    element.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      observer.disconnect();
      element.removeEventListener('scroll', onScroll);
    };
  }, [scrollRef, rowHeight, headerHeight]);

  const scrollToRow = useCallback(
    (index: number) => {
      const element = scrollRef.current;
      if (!element) return;
      const top = scrollTopFor({ rowHeight, headerHeight }, index, element.scrollTop, element.clientHeight);
      if (top !== undefined) element.scrollTop = top;
    },
    [scrollRef, rowHeight, headerHeight],
  );

  if (count === 0) return { first: 0, last: -1, visible: 0, above: 0, below: 0, scrollToRow };
  const visible = Math.min(shown.first, count - 1);
  const first = Math.max(0, visible - overscan);
  const last = Math.min(count - 1, Math.max(visible, shown.last) + overscan);
  return { first, last, visible, above: first * rowHeight, below: (count - 1 - last) * rowHeight, scrollToRow };
}
