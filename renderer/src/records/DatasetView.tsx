// One dataset: its summary, the toolbar (filter, policy, export, import, delete), the conflicts
// waiting for a choice, the new-record form, the table of records, and the dialogs they open.
// While a dialog is open the rest is inert, so that it alone answers to keyboard and readers.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RecordListItem } from '../../../shared/ipc-contract';
import { formatBytes, formatTime, plural } from '../common/format';
import { ConflictDialog } from '../conflicts/ConflictDialog';
import { useData } from '../data/data-context';
import { useConflicts, useDatasetSummary } from '../data/queries';
import { DeleteDatasetDialog } from '../datasets/DeleteDatasetDialog';
import { useShortcut } from '../keyboard/use-shortcut';
import { ConfirmationToast, type ConfirmationHandle } from './ConfirmationToast';
import { ConflictBanner } from './ConflictBanner';
import { EditRecordDialog } from './EditRecordDialog';
import { ImportDialog } from './ImportDialog';
import { RecordForm } from './RecordForm';
import type { RowActions } from './RecordRow';
import { RecordsTable, type RecordsTableHandle } from './RecordsTable';
import { RecordsToolbar } from './RecordsToolbar';
import { UndoToast } from './UndoToast';
import { useConflictPrompt } from './use-conflict-prompt';
import { ValueDialog } from './ValueDialog';
import './records.css';

interface Props {
  name: string;
  onBack(): void;
}

export function DatasetView({ name, onBack }: Props) {
  const { run, deletes } = useData();
  const summary = useDatasetSummary(name);
  const conflicts = useConflictPrompt(useConflicts(name));
  const [prefix, setPrefix] = useState('');
  const [editing, setEditing] = useState<{ key: string; value: string } | undefined>();
  const [shown, setShown] = useState<{ key: string; value: string } | undefined>();
  const [importFile, setImportFile] = useState<File | undefined>();
  const [deleting, setDeleting] = useState(false);
  const confirmation = useRef<ConfirmationHandle>(null);
  const tableRef = useRef<RecordsTableHandle>(null);
  const keyRef = useRef<HTMLInputElement>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const modal = editing !== undefined || shown !== undefined || conflicts.resolving !== undefined || importFile !== undefined || deleting;
  // The focus goes back where it was when a dialog closes (the view is inert while one is open,
  // which takes the focus from the button that opened it).
  const lastFocus = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (!modal && lastFocus.current?.isConnected) lastFocus.current.focus();
  }, [modal]);

  // A delete still waiting is sent when the view closes: leaving the dataset never loses it.
  useEffect(() => () => void deletes.flush(name), [deletes, name]);

  const focusField = (field: HTMLInputElement | null) => {
    field?.focus();
    field?.select();
  };
  useShortcut('new', () => focusField(keyRef.current));
  useShortcut('find', () => focusField(filterRef.current));
  const undo = () => {
    if (!deletes.undo(name)) return false;
    tableRef.current?.focus();
    return true;
  };
  useShortcut('undo', undo);

  // One object for every row, changing only with the dataset, so a scroll re-renders only new rows.
  const actions = useMemo<RowActions>(
    () => ({
      async edit(row: RecordListItem) {
        const record = row.truncated ? await run('records.get', { dataset: name, key: row.key }) : { value: row.preview };
        if (record) setEditing({ key: row.key, value: record.value });
      },
      async show(row: RecordListItem) {
        const record = await run('records.get', { dataset: name, key: row.key });
        if (record) setShown({ key: row.key, value: record.value });
      },
      remove: (row: RecordListItem) => deletes.schedule(name, row.key),
    }),
    [run, deletes, name],
  );

  const deleteDataset = () => {
    setDeleting(false);
    // The records go with the dataset: a record delete still waiting has nothing left to remove.
    deletes.undo(name);
    // Back to the list first, so that nothing here reads the dataset as it goes.
    onBack();
    void run('datasets.delete', { dataset: name });
  };

  return (
    <section className="panel dataset" aria-labelledby="dataset-title">
      <div className="dataset-body" inert={modal} aria-hidden={modal || undefined} onFocus={(event) => (lastFocus.current = event.target)}>
        <div className="panel-head">
          <button type="button" className="ghost" onClick={onBack} aria-label="Back to datasets">
            ← Datasets
          </button>
          <h2 id="dataset-title" title={name}>
            {name}
          </h2>
          {summary && (
            <span className="meta">
              {plural(summary.recordCount, 'record')} · {formatBytes(summary.bytes)} · last sync {formatTime(summary.lastSyncedAt)}
              {summary.pendingChanges > 0 && ` · ${plural(summary.pendingChanges, 'change')} not synced`}
            </span>
          )}
        </div>
        <RecordsToolbar
          dataset={name}
          summary={summary}
          prefix={prefix}
          onPrefix={setPrefix}
          filterRef={filterRef}
          onImport={setImportFile}
          onDeleteDataset={() => setDeleting(true)}
          onConfirm={(message) => confirmation.current?.confirm(message)}
        />
        <ConflictBanner conflicts={conflicts.open} onChoose={conflicts.choose} />
        <RecordForm dataset={name} keyRef={keyRef} />
        <RecordsTable ref={tableRef} dataset={name} prefix={prefix} actions={actions} />
      </div>
      {/* The Undo offer last: at the bottom, where a confirmation that ends never moves it under the pointer. */}
      <div className="toasts">
        <ConfirmationToast ref={confirmation} />
        <UndoToast dataset={name} onUndo={undo} />
      </div>

      {editing && <EditRecordDialog dataset={name} record={editing} onClose={() => setEditing(undefined)} />}
      {shown && <ValueDialog shown={shown} onClose={() => setShown(undefined)} />}
      {conflicts.resolving && (
        <ConflictDialog key={conflicts.resolving.key} conflict={conflicts.resolving} run={run} onDone={conflicts.done} onLater={conflicts.later} />
      )}
      {importFile && (
        <ImportDialog
          run={run}
          dataset={name}
          file={importFile}
          onDone={(done) => {
            setImportFile(undefined);
            if (done) confirmation.current?.confirm(done);
          }}
        />
      )}
      {deleting && summary && <DeleteDatasetDialog dataset={summary} onCancel={() => setDeleting(false)} onConfirm={deleteDataset} />}
    </section>
  );
}
