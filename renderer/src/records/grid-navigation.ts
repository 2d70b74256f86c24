// Where a key press moves the focus in the records table, which is one Tab stop navigated with
// the arrow keys (the ARIA grid keyboard pattern): Up/Down a row, Page Up/Down a screenful,
// Home/End (with or without Ctrl) the first and last record, Left/Right through a row's cells and
// buttons. Rows are positions among the rows shown, so a vertical move keeps the column.
import type { RecordListItem } from '../../../shared/ipc-contract';

/** The places in a row that take focus, in order: cells, and the row's buttons. */
export type Column = 'key' | 'value' | 'more' | 'modified' | 'edit' | 'delete';

export interface Position {
  row: number;
  column: Column;
}

/** A row's focusable places: "show all" only for a value shown shortened; a row still loading has its key cell. */
export function columnsOf(row: RecordListItem | undefined): Column[] {
  if (row === undefined) return ['key'];
  return row.truncated ? ['key', 'value', 'more', 'modified', 'edit', 'delete'] : ['key', 'value', 'modified', 'edit', 'delete'];
}

/** The column to focus in a row that lacks the one asked for. */
export function columnIn(row: RecordListItem | undefined, wanted: Column): Column {
  const columns = columnsOf(row);
  if (columns.includes(wanted)) return wanted;
  return wanted === 'more' && columns.includes('value') ? 'value' : 'key';
}

export function nextPosition(
  key: string,
  at: Position,
  { rows, pageRows, rowAt }: { rows: number; pageRows: number; rowAt(index: number): RecordListItem | undefined },
): Position | undefined {
  if (rows === 0) return undefined;
  const last = rows - 1;
  const toRow = (row: number) => ({ row: Math.min(last, Math.max(0, row)), column: at.column });
  switch (key) {
    case 'ArrowDown':
      return toRow(at.row + 1);
    case 'ArrowUp':
      return toRow(at.row - 1);
    case 'PageDown':
      return toRow(at.row + pageRows);
    case 'PageUp':
      return toRow(at.row - pageRows);
    case 'Home':
      return toRow(0);
    case 'End':
      return toRow(last);
    case 'ArrowRight':
    case 'ArrowLeft': {
      const columns = columnsOf(rowAt(at.row));
      const here = Math.max(0, columns.indexOf(columnIn(rowAt(at.row), at.column)));
      const next = Math.min(columns.length - 1, Math.max(0, here + (key === 'ArrowRight' ? 1 : -1)));
      return { row: at.row, column: columns[next]! };
    }
    default:
      return undefined;
  }
}
