// The records of one dataset in a virtualized table over all of them: the scrollbar stands for
// every record the filter matches, any position reads its own page, smooth at 100,000 (the rows on
// screen follow from the scroll position, use-row-window.ts; rows scrolled in reuse the elements of
// rows scrolled out, row-slots.ts). The table is one Tab stop: the arrow keys, Page Up/Down and
// Home/End move through it (grid-navigation.ts, use-grid-focus.ts), Enter or F2 edits the row,
// Delete deletes it.
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { ColumnHeads } from '../common/ColumnHeads';
import { columnIn, nextPosition } from './grid-navigation';
import { RecordRow, ROW_HEIGHT, type RowActions } from './RecordRow';
import { useRowSlots } from './row-slots';
import { useGridFocus } from './use-grid-focus';
import { useRecordRows } from './use-record-rows';
import { useRowWindow } from './use-row-window';

/** The sticky header row's height (records.css gives it), so that rows are placed exactly. */
const HEADER_HEIGHT = 36;
const GEOMETRY = { rowHeight: ROW_HEIGHT, headerHeight: HEADER_HEIGHT };

export interface RecordsTableHandle {
  /** Puts the focus on the table's current place. */
  focus(): void;
}

interface Props {
  dataset: string;
  prefix: string;
  actions: RowActions;
  ref?: Ref<RecordsTableHandle>;
}

export function RecordsTable({ dataset, prefix, actions, ref }: Props) {
  const { rows, show } = useRecordRows(dataset, prefix);
  const count = rows.count ?? 0;
  const scrollRef = useRef<HTMLDivElement>(null);

  const drawn = useRowWindow(scrollRef, GEOMETRY, {
    count,
    // Rows drawn beyond the edges hide the wait for a render while scrolling; a drag passing
    // through jumps past them every frame, so then they are only work.
    overscan: rows.passing ? 1 : 12,
  });
  const firstIndex = drawn.first;
  const lastIndex = Math.max(drawn.first, drawn.last);
  useEffect(() => {
    show(firstIndex, lastIndex, drawn.visible);
  }, [show, firstIndex, lastIndex, drawn.visible, count]);

  // A new filter starts at the top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [prefix]);

  const focus = useGridFocus({
    scrollRef,
    scrollToRow: drawn.scrollToRow,
    rowAt: rows.rowAt,
    count,
    drawn: { first: firstIndex, last: lastIndex, visible: drawn.visible },
    resetKey: prefix,
  });
  const { tabStop, focusAt } = focus;
  const indices = Array.from({ length: drawn.last - drawn.first + 1 }, (_, offset) => drawn.first + offset);
  const slots = useRowSlots(indices);
  useImperativeHandle(ref, () => ({ focus: () => count > 0 && focusAt(tabStop) }), [count, focusAt, tabStop]);

  const onKeyDown = (event: React.KeyboardEvent) => {
    const at = focus.from(event.target as Element);
    if (at === undefined || event.altKey) return;
    const row = rows.rowAt(at.row);
    const onButton = event.target instanceof HTMLButtonElement;
    // On the scroll box (its focused row scrolled away) the keys only move: nothing is edited or
    // deleted that the person did not put the focus on.
    const onBox = event.target === event.currentTarget;
    if (onBox && (event.key === 'Enter' || event.key === 'F2' || event.key === 'Delete')) return;
    if ((event.key === 'Enter' && !onButton) || event.key === 'F2') {
      if (row) actions.edit(row);
    } else if (event.key === 'Delete' && !event.ctrlKey && !event.metaKey) {
      if (row === undefined) return;
      // The focus stays in its place, which the next record moves into; on the last row it moves up.
      if (at.row === count - 1 && at.row > 0) focusAt({ row: at.row - 1, column: at.column });
      actions.remove(row);
    } else {
      const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_HEIGHT) - 2);
      const next = nextPosition(event.key, at, { rows: count, pageRows, rowAt: rows.rowAt });
      if (next === undefined) return;
      focusAt(next);
    }
    event.preventDefault();
  };

  return (
    <div
      ref={scrollRef}
      role="region"
      aria-label={`Records of ${dataset}`}
      className="records-scroll"
      tabIndex={-1}
      onKeyDown={onKeyDown}
      onFocus={focus.onFocus}
    >
      <table className="records" aria-rowcount={count + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <ColumnHeads names={['Key', 'Value', 'Modified']} />
          </tr>
        </thead>
        <tbody>
          {drawn.above > 0 && (
            <tr aria-hidden="true">
              <td colSpan={4} style={{ height: drawn.above }} />
            </tr>
          )}
          {indices.map((index) => {
            const row = rows.rowAt(index);
            const tabbable = tabStop.row === index;
            return <RecordRow key={slots.get(index)} row={row} index={index} tabColumn={tabbable ? columnIn(row, tabStop.column) : undefined} actions={actions} />;
          })}
          {drawn.below > 0 && (
            <tr aria-hidden="true">
              <td colSpan={4} style={{ height: drawn.below }} />
            </tr>
          )}
        </tbody>
      </table>
      {rows.count === 0 && (
        <p className="empty">
          {prefix ? (
            <>
              No key starts with “<bdi>{prefix}</bdi>”.
            </>
          ) : (
            'No records yet: add one with Key, Value and Save.'
          )}
        </p>
      )}
    </div>
  );
}
