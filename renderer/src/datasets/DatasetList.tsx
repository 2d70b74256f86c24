// The datasets screen: every dataset with its counts and sync state, New dataset, Delete dataset.
import { useCallback, useEffect, useState } from 'react';
import type { DatasetSummary } from '../../../shared/ipc-contract';
import { ColumnHeads } from '../common/ColumnHeads';
import { Dialog } from '../common/Dialog';
import { formatBytes, formatTime, plural } from '../common/format';
import type { Run } from '../common/run';

interface Props {
  run: Run;
  onOpen(name: string): void;
  /** Bumped whenever the main process says datasets changed. */
  version: number;
}

export function DatasetList({ run, onOpen, version }: Props) {
  const [datasets, setDatasets] = useState<DatasetSummary[] | undefined>();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [deleting, setDeleting] = useState<DatasetSummary | undefined>();

  const load = useCallback(() => void run('datasets.list', {}).then((list) => list && setDatasets(list)), [run]);
  useEffect(load, [load, version]);

  const create = async (event: React.FormEvent) => {
    event.preventDefault();
    const created = await run('datasets.openOrCreate', { dataset: name.trim() });
    if (created) {
      setName('');
      setCreating(false);
      onOpen(created.name);
    }
  };

  const remove = async () => {
    const target = deleting!;
    setDeleting(undefined);
    if (await run('datasets.delete', { dataset: target.name })) load();
  };

  return (
    <section className="panel" aria-labelledby="datasets-title">
      <div className="panel-head">
        <h2 id="datasets-title">Datasets</h2>
        <button type="button" className="primary" onClick={() => setCreating(true)} aria-expanded={creating}>
          New dataset
        </button>
      </div>
      {creating && (
        <form className="inline-form" onSubmit={create}>
          <label>
            Dataset name
            <input
              autoFocus
              value={name}
              onChange={(event) => setName(event.target.value)}
              placeholder="e.g. MainDataset"
              aria-describedby="dataset-name-hint"
              required
            />
          </label>
          <span id="dataset-name-hint" className="hint">
            1–128 letters, digits, _ . : -
          </span>
          <button type="submit" className="primary">
            Create
          </button>
          <button type="button" onClick={() => setCreating(false)}>
            Cancel
          </button>
        </form>
      )}
      {datasets === undefined ? (
        <p aria-busy="true">Loading datasets…</p>
      ) : datasets.length === 0 ? (
        <p className="empty">No datasets yet. Create one to keep key/value records that follow you to every computer you sign in on.</p>
      ) : (
        <table className="datasets">
          <thead>
            <tr>
              <ColumnHeads names={['Name', 'Records', 'Size', 'Not synced', 'Conflicts', 'Last sync']} />
            </tr>
          </thead>
          <tbody>
            {datasets.map((dataset) => (
              <tr key={dataset.name}>
                <td>
                  <button type="button" className="link" onClick={() => onOpen(dataset.name)}>
                    {dataset.name}
                  </button>
                </td>
                <td>{dataset.recordCount}</td>
                <td>{formatBytes(dataset.bytes)}</td>
                <td>{dataset.pendingChanges > 0 ? plural(dataset.pendingChanges, 'change') : dataset.syncPending ? 'not yet' : '—'}</td>
                <td>{dataset.conflicts > 0 ? <span className="badge conflict">{dataset.conflicts}</span> : '—'}</td>
                <td>{formatTime(dataset.lastSyncedAt)}</td>
                <td>
                  <button type="button" className="danger-link" aria-label={`Delete dataset ${dataset.name}`} onClick={() => setDeleting(dataset)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deleting && <DeleteDatasetDialog dataset={deleting} onConfirm={remove} onCancel={() => setDeleting(undefined)} />}
    </section>
  );
}

export function DeleteDatasetDialog({ dataset, onConfirm, onCancel }: { dataset: DatasetSummary; onConfirm(): void; onCancel(): void }) {
  return (
    <Dialog title="Delete dataset" onCancel={onCancel}>
      <p>
        Delete <strong>{dataset.name}</strong> and its {plural(dataset.recordCount, 'record')} ({formatBytes(dataset.bytes)}) from this
        computer <strong>and from the cloud</strong>: your other computers remove it at their next sync.
        {dataset.pendingChanges > 0 && ` ${plural(dataset.pendingChanges, 'change')} not synced yet will be lost too.`}
      </p>
      <div className="actions">
        <button type="button" className="danger" onClick={onConfirm}>
          Delete {dataset.name}
        </button>
        <button type="button" data-autofocus onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
