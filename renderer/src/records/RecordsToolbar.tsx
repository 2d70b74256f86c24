// Above a dataset's records: the key-prefix filter (Ctrl/Cmd+F; Escape empties it), the conflict policy, Export,
// Import (a file chooser; the dialog that checks the file belongs to the view) and Delete dataset.
import { useState, type Ref } from 'react';
import type { ConflictPolicyName, DatasetSummary } from '../../../shared/ipc-contract';
import { useData } from '../data/data-context';
import { exportConfirmation, exportDataset, exportNotSaved } from './export-dataset';

const POLICIES: { value: ConflictPolicyName; label: string }[] = [
  { value: 'manual', label: 'Ask me (keep both until I choose)' },
  { value: 'lastWriterWins', label: 'Latest change wins' },
  { value: 'remote', label: 'The cloud wins' },
  { value: 'local', label: 'This computer wins' },
];

interface Props {
  dataset: string;
  summary: DatasetSummary | undefined;
  prefix: string;
  onPrefix(prefix: string): void;
  filterRef: Ref<HTMLInputElement>;
  onImport(file: File): void;
  onDeleteDataset(): void;
  /** Says what an export has just done (ConfirmationToast.tsx). */
  onConfirm(message: string): void;
}

export function RecordsToolbar({ dataset, summary, prefix, onPrefix, filterRef, onImport, onDeleteDataset, onConfirm }: Props) {
  const { run, saveFile, showError } = useData();
  const [busy, setBusy] = useState<string | undefined>();
  const [fileInput, setFileInput] = useState<HTMLInputElement | null>(null);

  const runExport = async () => {
    setBusy('Exporting…');
    try {
      const exported = await exportDataset(run, dataset, (done) => setBusy(`Exporting… ${done} records`), (blob, fileName) => {
        setBusy('Saving…');
        return saveFile(blob, fileName);
      });
      // A cancelled save dialog was the person's choice: nothing to confirm, nothing went wrong.
      if (exported?.outcome === 'saved') onConfirm(exportConfirmation(exported));
      else if (exported?.outcome === 'failed') showError(exportNotSaved(exported));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <>
      <div className="toolbar">
        <label>
          Filter by key prefix
          <input
            ref={filterRef}
            type="search"
            value={prefix}
            onChange={(event) => onPrefix(event.target.value)}
            onKeyDown={(event) => {
              if (event.key !== 'Escape' || prefix === '') return;
              event.preventDefault();
              onPrefix('');
            }}
            dir="auto"
          />
        </label>
        <label>
          Conflict policy
          <select
            value={summary?.policy ?? 'manual'}
            onChange={(event) => void run('datasets.setPolicy', { dataset, policy: event.target.value as ConflictPolicyName })}
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
        <button type="button" onClick={() => fileInput?.click()} disabled={busy !== undefined}>
          Import
        </button>
        <input
          ref={setFileInput}
          type="file"
          accept="application/json,.json"
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) onImport(file);
          }}
        />
        <button type="button" className="danger-link" onClick={onDeleteDataset}>
          Delete dataset
        </button>
      </div>
      {busy && (
        <p className="progress" aria-live="polite">
          {busy}
        </p>
      )}
    </>
  );
}
