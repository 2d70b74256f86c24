// The records table's roving focus: one place (a cell or a row's button) is the table's Tab stop;
// a move puts the focus there once its row is drawn (a far move scrolls first, a row still loading
// holds it on its key cell until it arrives). Rows are positions among the rows shown. A focused
// row scrolled out of sight leaves the focus on the scroll box, not on the page: the keys still
// move from the table's Tab stop (the first row on screen), as they do when a key press reaches
// the box before the focus reached its place.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { RecordListItem } from '../../../shared/ipc-contract';
import { columnIn, type Column, type Position } from './grid-navigation';

interface Options {
  scrollRef: RefObject<HTMLDivElement | null>;
  /** Scrolls so that a row shows whole. */
  scrollToRow(index: number): void;
  rowAt(index: number): RecordListItem | undefined;
  count: number;
  /** The first and last rows drawn, and the first one on screen. */
  drawn: { first: number; last: number; visible: number };
  /** A new filter: the focus starts again at the top. */
  resetKey: string;
}

/** The row and column of the table place an element is in. */
export function positionOf(element: Element | null): Position | undefined {
  const place = element?.closest<HTMLElement>('[data-col]');
  const line = place?.closest<HTMLElement>('tr[data-row]');
  if (!place || !line) return undefined;
  return { row: Number(line.dataset.row), column: place.dataset.col as Column };
}

export function useGridFocus({ scrollRef, scrollToRow, rowAt, count, drawn, resetKey }: Options) {
  const [active, setActive] = useState<Position>({ row: 0, column: 'key' });
  /** Where the focus goes once that row is drawn. */
  const pending = useRef<Position | undefined>(undefined);
  /** The focus is being put on the scroll box itself, to stay there (not sent on to the Tab stop). */
  const holding = useRef(false);
  const scrollToRowRef = useRef(scrollToRow);
  scrollToRowRef.current = scrollToRow;

  useEffect(() => {
    pending.current = undefined;
    setActive({ row: 0, column: 'key' });
  }, [resetKey]);

  // The current place while its row is drawn, else the first row on screen.
  const isDrawn = active.row >= drawn.first && active.row <= drawn.last && active.row < count;
  const tabStop: Position = isDrawn ? active : { row: Math.min(drawn.visible, Math.max(0, count - 1)), column: 'key' };

  const focusAt = useCallback((position: Position) => {
    pending.current = position;
    setActive(position);
    scrollToRowRef.current(position.row);
  }, []);

  /** Puts the focus on the place a move waits for, once its row is drawn. */
  const focusPending = () => {
    const wanted = pending.current;
    if (wanted === undefined) return;
    // Only while the focus is still the table's (or was lost with a row scrolled away).
    const owner = document.activeElement;
    if (owner !== null && owner !== document.body && !scrollRef.current?.contains(owner)) {
      pending.current = undefined;
      return;
    }
    const line = scrollRef.current?.querySelector(`tr[data-row="${wanted.row}"]`);
    if (!line) return;
    const row = rowAt(wanted.row);
    line.querySelector<HTMLElement>(`[data-col="${columnIn(row, wanted.column)}"]`)?.focus({ preventScroll: true });
    if (row !== undefined) pending.current = undefined;
  };

  /** The element with the focus at the last commit, and the row it was in. */
  const focused = useRef<{ element: Element; row: number } | undefined>(undefined);
  useLayoutEffect(() => {
    // A row's element is reused by a row scrolled in when it scrolls out (row-slots.ts): the focus
    // does not stay on it to show another record, it goes with its row as it did.
    const owner = document.activeElement;
    const moved = owner !== null && owner === focused.current?.element && positionOf(owner)?.row !== focused.current.row;
    if (moved) {
      // Kept in the table (on its scroll box), so that the keys go on working.
      holding.current = true;
      scrollRef.current?.focus({ preventScroll: true });
      holding.current = false;
      if (document.activeElement === owner) (owner as HTMLElement).blur();
    }
    focusPending();
    const now = document.activeElement;
    const at = now !== null && scrollRef.current?.contains(now) ? positionOf(now) : undefined;
    focused.current = at && now ? { element: now, row: at.row } : undefined;
  });

  // Rows went (a delete, a filter): the current place stays within them.
  useEffect(() => {
    if (count === 0 || active.row < count) return;
    const position = { row: count - 1, column: active.column };
    if (scrollRef.current?.contains(document.activeElement)) focusAt(position);
    else setActive(position);
  }, [count, active, focusAt, scrollRef]);

  return {
    tabStop,
    focusAt,
    /**
     * Where the next key press starts: a move still waiting for its row, else the focused place —
     * or, pressed on the scroll box itself, the Tab stop.
     */
    from: (element: Element | null) => {
      const here = positionOf(element) ?? (element !== null && element === scrollRef.current && count > 0 ? tabStop : undefined);
      return here && (pending.current ?? here);
    },
    /** Focus came into the table: onto the scroll box itself (sent on to the Tab stop), or a click on a place. */
    onFocus(event: React.FocusEvent<HTMLElement>) {
      if (event.target === event.currentTarget) {
        if (!holding.current && count > 0) focusAt(tabStop);
        return;
      }
      const at = positionOf(event.target);
      if (at === undefined) return;
      focused.current = { element: event.target, row: at.row };
      if (pending.current && pending.current.row !== at.row) pending.current = undefined;
      if (at.row !== active.row || at.column !== active.column) setActive(at);
    },
  };
}
