// One row of the records table. Its cells and buttons take focus only through the table's arrow
// keys (tabIndex -1) except the one place that is the table's Tab stop. Keys and values are isolated
// (<bdi>) so right-to-left text or a bidi override in them cannot reorder what is shown around it;
// the buttons carry the row's key in their names for screen readers ("Delete cart-42").
import { memo } from 'react';
import type { RecordListItem } from '../../../shared/ipc-contract';
import { formatBytes, formatTime } from '../common/format';
import type { Column } from './grid-navigation';

export interface RowActions {
  edit(row: RecordListItem): void;
  show(row: RecordListItem): void;
  remove(row: RecordListItem): void;
}

interface Props {
  /** Undefined while its page is being read: the row shows "Loading…" in the same elements. */
  row: RecordListItem | undefined;
  index: number;
  /** The place in this row that is the table's Tab stop, if it is in this row. */
  tabColumn: Column | undefined;
  actions: RowActions;
}

export const ROW_HEIGHT = 36;

// A page's first formatted date loads the locale's data (50–75 ms in Chromium): done while the page
// is idle, so that the first dataset opened does not wait for it before showing its rows.
if (typeof requestIdleCallback === 'function') requestIdleCallback(() => formatTime(Date.now()), { timeout: 2000 });

const KeyName = ({ text }: { text: string }) => <span className="visually-hidden"> {text}</span>;

export const RecordRow = memo(function RecordRow({ row, index, tabColumn, actions }: Props) {
  const tab = (column: Column) => (tabColumn === column ? 0 : -1);
  if (row === undefined) return loadingRow(index, tabColumn !== undefined);
  const modified = formatTime(row.modifiedAt);
  return (
    <tr aria-rowindex={index + 2} data-row={index} className={row.conflicted ? 'conflicted' : undefined}>
      <td className="key" data-col="key" tabIndex={tab('key')} title={row.key}>
        <bdi>{row.key}</bdi>
      </td>
      <td className="value" data-col="value" tabIndex={tab('value')}>
        <div className="value-cell">
          <bdi className="preview" title={row.truncated ? `${row.preview}…` : row.preview}>
            {row.preview}
          </bdi>
          {row.truncated && (
            <button
              type="button"
              className="link show-all"
              data-col="more"
              tabIndex={tab('more')}
              title={`The whole value, ${formatBytes(row.valueBytes)}`}
              onClick={() => actions.show(row)}
            >
              Show all
              <KeyName text={`of ${row.key} (${formatBytes(row.valueBytes)})`} />
            </button>
          )}
        </div>
      </td>
      <td className="modified" data-col="modified" tabIndex={tab('modified')}>
        <div className="modified-cell">
          <span className="time" title={row.modifiedBy === undefined ? modified : `${modified}, by ${row.modifiedBy}`}>
            {modified}
            {row.modifiedBy !== undefined && (
              <span className="visually-hidden">
                , by <bdi>{row.modifiedBy}</bdi>
              </span>
            )}
          </span>
          {row.pending && <span className="badge pending">not synced</span>}
          {row.conflicted && <span className="badge conflict">conflict</span>}
        </div>
      </td>
      <td className="row-actions">
        <button type="button" className="ghost" data-col="edit" tabIndex={tab('edit')} onClick={() => actions.edit(row)}>
          Edit
          <KeyName text={row.key} />
        </button>
        <button type="button" className="danger-link" data-col="delete" tabIndex={tab('delete')} onClick={() => actions.remove(row)}>
          Delete
          <KeyName text={row.key} />
        </button>
      </td>
    </tr>
  );
});

/**
 * A row whose page is still being read: its key cell can hold the focus until the row arrives. Drawn
 * by the same component as the row it becomes (a plain function, not a component of its own), so
 * the `<tr>` and its key cell stay the same elements then:
 * a focused cell removed from the page while its row was replaced used to clamp the scroll position
 * (the rows were briefly missing when the browser laid them out for the focus change), moving an
 * End 27 rows short of the last row and losing the focus.
 */
function loadingRow(index: number, tabbable: boolean) {
  return (
    <tr aria-rowindex={index + 2} data-row={index} className="loading-row">
      <td className="key" data-col="key" tabIndex={tabbable ? 0 : -1} aria-busy="true">
        Loading…
      </td>
      <td className="value" />
      <td className="modified" />
      <td className="row-actions" />
    </tr>
  );
}
