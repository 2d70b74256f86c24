// One dataset: its records in a virtualized table that pages in as you scroll (smooth at 100,000),
// a key-prefix filter, add / edit / delete, full values on demand, export and import, the conflict
// policy, and the conflicts waiting for a choice.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { RECORDS_PAGE_MAX, type ConflictPolicyName, type ConflictView, type DatasetSummary, type RecordListItem } from '../../../shared/ipc-contract';
import { ColumnHeads } from '../common/ColumnHeads';
import { Dialog } from '../common/Dialog';
import { formatBytes, formatTime, plural } from '../common/format';
import type { Run } from '../common/run';
import { ConflictDialog } from '../conflicts/ConflictDialog';
import { DeleteDatasetDialog } from '../datasets/DatasetList';
import { exportDataset } from './export-dataset';
import { ImportDialog } from './ImportDialog';

const PAGE = 500;
const ROW_HEIGHT = 36;

const POLICIES: { value: ConflictPolicyName; label: string }[] = [
  { value: 'manual', label: 'Ask me (keep both until I choose)' },
  { value: 'lastWriterWins', label: 'Latest change wins' },
  { value: 'remote', label: 'The cloud wins' },
  { value: 'local', label: 'This computer wins' },
];

interface Props {
  run: Run;
  name: string;
  /** Bumped when this dataset's records, conflicts or summary changed (here or by a sync). */
  version: number;
  onBack(): void;
}

export function DatasetView({ run, name, version, onBack }: Props) {
  const [summary, setSummary] = useState<DatasetSummary | undefined>();
  const [rows, setRows] = useState<RecordListItem[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [prefix, setPrefix] = useState('');
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [shown, setShown] = useState<{ key: string; value: string } | undefined>();
  const [conflicts, setConflicts] = useState<ConflictView[]>([]);
  const [resolving, setResolving] = useState<ConflictView | undefined>();
  const [dismissedConflicts, setDismissedConflicts] = useState(false);
  const [importFile, setImportFile] = useState<File | undefined>();
  const [deleting, setDeleting] = useState(false);
  const [busy, setBusy] = useState<string | undefined>();
  const loading = useRef(false);
  const rowsLoaded = useRef(0);
  const generation = useRef(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  // The first `wanted` rows, page after page: a page holds at most RECORDS_PAGE_MAX records and may
  // end early (on bytes), so the cursor says where the next one starts.
  const firstRows = useCallback(
    async (wanted: number): Promise<{ records: RecordListItem[]; nextCursor: string | null } | undefined> => {
      const records: RecordListItem[] = [];
      let cursor: string | undefined;
      for (;;) {
        const limit = Math.min(RECORDS_PAGE_MAX, wanted - records.length);
        const page = await run('records.list', { dataset: name, prefix: prefix || undefined, cursor, limit });
        if (!page) return undefined;
        records.push(...page.records);
        if (page.nextCursor === null || records.length >= wanted) return { records, nextCursor: page.nextCursor };
        cursor = page.nextCursor;
      }
    },
    [run, name, prefix],
  );

  // Reloads the first page (and whatever was loaded past it) whenever the data or filter changes.
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    const [dataset, page, open] = await Promise.all([
      run('datasets.get', { dataset: name }),
      firstRows(Math.max(PAGE, rowsLoaded.current)),
      run('conflicts.list', { dataset: name }),
    ]);
    if (mine !== generation.current) return;
    if (dataset) setSummary(dataset);
    if (page) {
      setRows(page.records);
      rowsLoaded.current = page.records.length;
      setNextCursor(page.nextCursor);
    }
    if (open) setConflicts(open);
  }, [run, name, firstRows]);
  useEffect(() => {
    void reload();
  }, [reload, version]);

  const loadMore = useCallback(async () => {
    if (loading.current || nextCursor === null) return;
    loading.current = true;
    const mine = generation.current;
    const page = await run('records.list', { dataset: name, prefix: prefix || undefined, cursor: nextCursor, limit: PAGE });
    loading.current = false;
    if (!page || mine !== generation.current) return;
    setRows((current) => {
      const next = [...current, ...page.records];
      rowsLoaded.current = next.length;
      return next;
    });
    setNextCursor(page.nextCursor);
  }, [run, name, prefix, nextCursor]);

  const virtualizer = useVirtualizer({
    count: rows.length + (nextCursor === null ? 0 : 1),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (lastIndex >= rows.length - 1 && nextCursor !== null) void loadMore();
  }, [lastIndex, rows.length, nextCursor, loadMore]);

  // Conflicts ask for a choice as soon as they appear, unless the person put the question aside.
  useEffect(() => {
    if (!dismissedConflicts && resolving === undefined && conflicts.length > 0) setResolving(conflicts[0]);
  }, [conflicts, dismissedConflicts, resolving]);

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    if (await run('records.put', { dataset: name, key, value })) {
      setKey('');
      setValue('');
    }
  };

  const edit = async (row: RecordListItem) => {
    const record = row.truncated ? await run('records.get', { dataset: name, key: row.key }) : { value: row.preview };
    if (!record) return;
    setKey(row.key);
    setValue(record.value);
  };

  const show = async (row: RecordListItem) => {
    const record = await run('records.get', { dataset: name, key: row.key });
    if (record) setShown({ key: row.key, value: record.value });
  };

  // One object for every row, changing only with the dataset, so a scroll re-renders only new rows.
  const actionsRef = useRef({ edit, show, remove: (key: string) => void run('records.remove', { dataset: name, key }) });
  actionsRef.current = { edit, show, remove: (key: string) => void run('records.remove', { dataset: name, key }) };
  const rowActions = useMemo<RowActions>(
    () => ({
      edit: (row) => void actionsRef.current.edit(row),
      show: (row) => void actionsRef.current.show(row),
      remove: (key) => actionsRef.current.remove(key),
    }),
    [],
  );

  const runExport = async () => {
    setBusy('Exporting…');
    try {
      await exportDataset(run, name, (done) => setBusy(`Exporting… ${done} records`));
    } finally {
      setBusy(undefined);
    }
  };

  const total = summary?.recordCount ?? rows.length;
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <section className="panel dataset" aria-labelledby="dataset-title">
      <div className="panel-head">
        <button type="button" className="ghost" onClick={onBack} aria-label="Back to datasets">
          ← Datasets
        </button>
        <h2 id="dataset-title">{name}</h2>
        {summary && (
          <span className="meta">
            {plural(summary.recordCount, 'record')} · {formatBytes(summary.bytes)} · last sync {formatTime(summary.lastSyncedAt)}
            {summary.pendingChanges > 0 && ` · ${plural(summary.pendingChanges, 'change')} not synced`}
          </span>
        )}
      </div>

      <div className="toolbar">
        <label>
          Filter by key prefix
          <input type="search" value={prefix} onChange={(event) => setPrefix(event.target.value)} />
        </label>
        <label>
          Conflict policy
          <select
            value={summary?.policy ?? 'manual'}
            onChange={(event) => void run('datasets.setPolicy', { dataset: name, policy: event.target.value as ConflictPolicyName }).then((next) => next && setSummary(next))}
          >
            {POLICIES.map((policy) => (
              <option key={policy.value} value={policy.value}>
                {policy.label}
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        <button type="button" onClick={() => void runExport()} disabled={busy !== undefined}>
          Export
        </button>
        <button type="button" onClick={() => fileRef.current?.click()} disabled={busy !== undefined}>
          Import
        </button>
        <input
          ref={fileRef}
          type="file"
          accept="application/json,.json"
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(event) => {
            setImportFile(event.target.files?.[0]);
            event.target.value = '';
          }}
        />
        <button type="button" className="danger-link" onClick={() => setDeleting(true)}>
          Delete dataset
        </button>
      </div>
      {busy && (
        <p className="progress" aria-live="polite">
          {busy}
        </p>
      )}

      {conflicts.length > 0 && (
        <div className="conflict-banner" aria-live="polite">
          <span>
            {plural(conflicts.length, 'key')} changed here and on another device: {conflicts.map((conflict) => conflict.key).join(', ')}.
          </span>
          <button type="button" onClick={() => setResolving(conflicts[0])}>
            Choose…
          </button>
        </div>
      )}

      <form className="record-form" onSubmit={save}>
        <label>
          Key
          <input value={key} onChange={(event) => setKey(event.target.value)} required />
        </label>
        <label className="grow">
          Value
          <textarea value={value} onChange={(event) => setValue(event.target.value)} rows={1} />
        </label>
        <button type="submit" className="primary">
          Save
        </button>
      </form>

      <div ref={scrollRef} className="records-scroll" tabIndex={0} aria-label={`Records of ${name}`}>
        <table className="records" aria-rowcount={total + 1}>
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
              const row = rows[item.index];
              if (row === undefined) {
                return (
                  <tr key="loading" style={{ height: ROW_HEIGHT }}>
                    <td colSpan={4} aria-busy="true">
                      Loading more records…
                    </td>
                  </tr>
                );
              }
              return <RecordLine key={row.key} row={row} index={item.index} actions={rowActions} />;
            })}
            {paddingBottom > 0 && (
              <tr aria-hidden="true">
                <td colSpan={4} style={{ height: paddingBottom }} />
              </tr>
            )}
          </tbody>
        </table>
        {rows.length === 0 && nextCursor === null && (
          <p className="empty">{prefix ? `No key starts with “${prefix}”.` : 'No records yet: add one with Key, Value and Save.'}</p>
        )}
      </div>

      {shown && (
        <ValueDialog shown={shown} onClose={() => setShown(undefined)} />
      )}
      {resolving && (
        <ConflictDialog
          conflict={resolving}
          run={run}
          onDone={() => {
            // Gone from the list at once, so the next open conflict (not this one again) is asked next.
            setConflicts((open) => open.filter((conflict) => conflict.key !== resolving.key));
            setResolving(undefined);
          }}
          onLater={() => {
            setDismissedConflicts(true);
            setResolving(undefined);
          }}
        />
      )}
      {importFile && <ImportDialog run={run} dataset={name} file={importFile} onDone={() => setImportFile(undefined)} />}
      {deleting && summary && (
        <DeleteDatasetDialog
          dataset={summary}
          onCancel={() => setDeleting(false)}
          onConfirm={() => {
            setDeleting(false);
            void run('datasets.delete', { dataset: name }).then((done) => done && onBack());
          }}
        />
      )}
    </section>
  );
}

interface RowActions {
  edit(row: RecordListItem): void;
  show(row: RecordListItem): void;
  remove(key: string): void;
}

const RecordLine = memo(function RecordLine({ row, index, actions }: { row: RecordListItem; index: number; actions: RowActions }) {
  return (
    <tr aria-rowindex={index + 2} style={{ height: ROW_HEIGHT }} className={row.conflicted ? 'conflicted' : undefined}>
      <td className="key">{row.key}</td>
      <td className="value">
        {row.preview}
        {row.truncated && (
          <button type="button" className="link" onClick={() => actions.show(row)}>
            … show all ({formatBytes(row.valueBytes)})
          </button>
        )}
      </td>
      <td className="modified">
        {formatTime(row.modifiedAt)}
        {row.pending && <span className="badge pending">not synced</span>}
        {row.conflicted && <span className="badge conflict">conflict</span>}
      </td>
      <td className="row-actions">
        <button type="button" className="ghost" onClick={() => actions.edit(row)}>
          Edit
        </button>
        <button type="button" className="danger-link" onClick={() => actions.remove(row.key)}>
          Delete
        </button>
      </td>
    </tr>
  );
});

function ValueDialog({ shown, onClose }: { shown: { key: string; value: string }; onClose(): void }) {
  return (
    <Dialog title={`Value of ${shown.key}`} onCancel={onClose} wide>
      <pre className="full-value" tabIndex={0}>
        {shown.value}
      </pre>
      <div className="actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
