// The records of one dataset in a virtualized table over all of them: the scrollbar stands for
// every record the filter matches, any position reads its own page, smooth at 100,000. The table
// is one Tab stop: the arrow keys, Page Up/Down and Home/End move through it (grid-navigation.ts,
// use-grid-focus.ts), Enter or F2 edits the row, Delete deletes it.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { ColumnHeads } from '../common/ColumnHeads';
import { columnIn, nextPosition } from './grid-navigation';
import { LoadingRow, RecordRow, ROW_HEIGHT, type RowActions } from './RecordRow';
import { useGridFocus } from './use-grid-focus';
import { useRecordRows } from './use-record-rows';

/** The sticky header row's height (records.css gives it), so that rows are placed exactly. */
const HEADER_HEIGHT = 36;

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

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    paddingStart: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    show(firstIndex, lastIndex);
  }, [show, firstIndex, lastIndex, count]);

  // A new filter starts at the top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [prefix]);

  const focus = useGridFocus({
    scrollRef,
    virtualizer,
    rowAt: rows.rowAt,
    count,
    drawn: { first: firstIndex, last: lastIndex, visible: virtualizer.range?.startIndex ?? firstIndex },
    resetKey: prefix,
  });
  const { tabStop, focusAt } = focus;
  useImperativeHandle(ref, () => ({ focus: () => count > 0 && focusAt(tabStop) }), [count, focusAt, tabStop]);

  const onKeyDown = (event: React.KeyboardEvent) => {
    const at = focus.from(event.target as Element);
    if (at === undefined || event.altKey) return;
    const row = rows.rowAt(at.row);
    const onButton = event.target instanceof HTMLButtonElement;
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

  const paddingTop = (items[0]?.start ?? HEADER_HEIGHT) - HEADER_HEIGHT;
  const paddingBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? HEADER_HEIGHT);

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
          {paddingTop > 0 && (
            <tr aria-hidden="true">
              <td colSpan={4} style={{ height: paddingTop }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows.rowAt(item.index);
            const tabbable = tabStop.row === item.index;
            return row === undefined ? (
              <LoadingRow key={item.index} index={item.index} tabbable={tabbable} />
            ) : (
              <RecordRow key={item.index} row={row} index={item.index} tabColumn={tabbable ? columnIn(row, tabStop.column) : undefined} actions={actions} />
            );
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden="true">
              <td colSpan={4} style={{ height: paddingBottom }} />
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
