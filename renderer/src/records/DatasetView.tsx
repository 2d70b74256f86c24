// One dataset: its records in a virtualized table over all of them (the scrollbar is the whole
// dataset; any position, Home or End reads its page directly; smooth at 100,000),
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

/** Rows per page of the table; a page is read at its offset when it comes into view. */
const PAGE = 200;
/** Pages kept in memory: those nearest the one last read. */
const KEPT_PAGES = 40;
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
  // The table stands for every record the filter matches (`total`), whether loaded or not: the
  // scrollbar covers the whole dataset and any position reads its own page (records.list's offset).
  const [total, setTotal] = useState<number | undefined>();
  const [pages, setPages] = useState<ReadonlyMap<number, RecordListItem[]>>(new Map());
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
  const generation = useRef(0);
  const inFlight = useRef(new Set<number>());
  const failed = useRef(new Set<number>());
  const pagesRef = useRef(pages);
  pagesRef.current = pages;
  const scrollRef = useRef<HTMLDivElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  // One page of the table: PAGE rows from its offset. A records.list page may end early (on bytes),
  // so the cursor reads on until the page is whole or the records end.
  const readPage = useCallback(
    async (index: number, count: boolean): Promise<{ records: RecordListItem[]; total?: number } | undefined> => {
      const records: RecordListItem[] = [];
      let total: number | undefined;
      let cursor: string | undefined;
      for (;;) {
        const page = await run('records.list', {
          dataset: name,
          prefix: prefix || undefined,
          ...(cursor === undefined ? { offset: index * PAGE, ...(count ? { count: true } : {}) } : { cursor }),
          limit: Math.min(RECORDS_PAGE_MAX, PAGE - records.length),
        });
        if (!page) return undefined;
        total ??= page.total;
        records.push(...page.records);
        if (page.nextCursor === null || records.length >= PAGE) return { records, total };
        cursor = page.nextCursor;
      }
    },
    [run, name, prefix],
  );

  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items.at(-1)?.index ?? 0;
  // The pages the table shows now (read through a ref, so a scroll does not make a new reload).
  const virtualizerRef = useRef(virtualizer);
  virtualizerRef.current = virtualizer;
  const visiblePages = useCallback(() => {
    const shownItems = virtualizerRef.current.getVirtualItems();
    return { from: Math.floor((shownItems[0]?.index ?? 0) / PAGE), to: Math.floor((shownItems.at(-1)?.index ?? 0) / PAGE) };
  }, []);

  // Reads the counts, the pages on screen and the conflicts again whenever the data changes; a new
  // filter starts from an empty table.
  const shownPrefix = useRef(prefix);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    inFlight.current.clear();
    failed.current.clear();
    if (shownPrefix.current !== prefix) {
      shownPrefix.current = prefix;
      setPages(new Map());
      setTotal(undefined);
      scrollRef.current?.scrollTo({ top: 0 });
    }
    const { from, to } = shownPrefix.current === prefix ? visiblePages() : { from: 0, to: 0 };
    const wanted = Array.from({ length: to - from + 1 }, (_, offset) => from + offset);
    const [dataset, read, open] = await Promise.all([
      run('datasets.get', { dataset: name }),
      Promise.all(wanted.map((index, position) => readPage(index, position === 0))),
      run('conflicts.list', { dataset: name }),
    ]);
    if (mine !== generation.current) return;
    if (dataset) setSummary(dataset);
    if (read.every((page) => page !== undefined)) {
      const next = new Map<number, RecordListItem[]>();
      wanted.forEach((index, position) => next.set(index, read[position]!.records));
      setPages(next);
      setTotal(read[0]!.total ?? 0);
    }
    if (open) setConflicts(open);
  }, [run, name, prefix, readPage, visiblePages]);
  useEffect(() => {
    void reload();
  }, [reload, version]);

  // The pages on screen that are not loaded yet, two requests at a time, always those the table
  // shows now (a fast drag asks for the pages where it stops, not every page it passed).
  const loadVisible = useCallback(() => {
    if (total === undefined) return;
    const { from, to } = visiblePages();
    for (let index = from; index <= to && inFlight.current.size < 2; index += 1) {
      if (pagesRef.current.has(index) || inFlight.current.has(index) || failed.current.has(index)) continue;
      const mine = generation.current;
      inFlight.current.add(index);
      void readPage(index, false).then((page) => {
        if (mine !== generation.current) return;
        inFlight.current.delete(index);
        if (page === undefined) failed.current.add(index);
        else setPages((current) => keepNear(new Map(current).set(index, page.records), index));
      });
    }
  }, [total, visiblePages, readPage]);
  useEffect(loadVisible, [loadVisible, firstIndex, lastIndex, pages]);

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (total === undefined || total === 0 || event.target !== event.currentTarget) return;
    if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      virtualizer.scrollToIndex(event.key === 'Home' ? 0 : total - 1, { align: event.key === 'Home' ? 'start' : 'end' });
    }
  };

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

      <div ref={scrollRef} className="records-scroll" tabIndex={0} aria-label={`Records of ${name}`} onKeyDown={onKeyDown}>
        <table className="records" aria-rowcount={(total ?? 0) + 1}>
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
              const row = pages.get(Math.floor(item.index / PAGE))?.[item.index % PAGE];
              if (row === undefined) {
                return (
                  <tr key={item.index} style={{ height: ROW_HEIGHT }} className="loading-row">
                    <td colSpan={4} aria-busy="true">
                      Loading…
                    </td>
                  </tr>
                );
              }
              return <RecordLine key={item.index} row={row} index={item.index} actions={rowActions} />;
            })}
            {paddingBottom > 0 && (
              <tr aria-hidden="true">
                <td colSpan={4} style={{ height: paddingBottom }} />
              </tr>
            )}
          </tbody>
        </table>
        {total === 0 && <p className="empty">{prefix ? `No key starts with “${prefix}”.` : 'No records yet: add one with Key, Value and Save.'}</p>}
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

function keepNear(pages: Map<number, RecordListItem[]>, around: number): Map<number, RecordListItem[]> {
  if (pages.size <= KEPT_PAGES) return pages;
  const far = [...pages.keys()].sort((one, other) => Math.abs(other - around) - Math.abs(one - around));
  for (const index of far.slice(0, pages.size - KEPT_PAGES)) pages.delete(index);
  return pages;
}

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
