// The datasets screen: every dataset with its counts and sync state, New dataset, Delete dataset.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DatasetSummary } from '../../../shared/ipc-contract';
import { ColumnHeads } from '../common/ColumnHeads';
import { formatBytes, formatTime, plural } from '../common/format';
import type { Run } from '../common/run';
import { useShortcut } from '../keyboard/use-shortcut';
import { DeleteDatasetDialog } from './DeleteDatasetDialog';

interface Props {
  run: Run;
  onOpen(name: string): void;
  /** Bumped whenever the main process says datasets changed. */
  version: number;
  /**
   * The status bar's "Last sync". A sync that changed nothing moves each dataset's last sync without
   * a datasets event: the list reads again when this moves, so it never shows an older time.
   */
  syncedAt?: number | null;
}

export function DatasetList({ run, onOpen, version, syncedAt }: Props) {
  const [datasets, setDatasets] = useState<DatasetSummary[] | undefined>();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [deleting, setDeleting] = useState<DatasetSummary | undefined>();
  const newButton = useRef<HTMLButtonElement>(null);
  const nameField = useRef<HTMLInputElement>(null);
  // Ctrl/Cmd+N opens the form (or goes back to its name); Escape or Cancel closes it.
  useShortcut('new', () => {
    setCreating(true);
    nameField.current?.focus();
  });
  const closeForm = () => {
    setCreating(false);
    newButton.current?.focus();
  };

  const load = useCallback(() => void run('datasets.list', {}).then((list) => list && setDatasets(list)), [run]);
  useEffect(load, [load, version, syncedAt]);

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
        <button ref={newButton} type="button" className="primary" onClick={() => setCreating(true)} aria-expanded={creating}>
          New dataset
        </button>
      </div>
      {creating && (
        <form className="inline-form" onSubmit={create} onKeyDown={(event) => event.key === 'Escape' && closeForm()}>
          <label>
            Dataset name
            <input
              ref={nameField}
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
          <button type="button" onClick={closeForm}>
            Cancel
          </button>
        </form>
      )}
      {datasets === undefined ? (
        <p aria-busy="true">Loading datasets…</p>
      ) : datasets.length === 0 ? (
        <p className="empty">No datasets yet. Create one to keep key/value records that follow you to every computer you sign in on.</p>
      ) : (
        <div className="datasets-scroll">
          <table className="datasets">
            <thead>
              <tr>
                <ColumnHeads names={['Name', 'Records', 'Size', 'Not synced', 'Conflicts', 'Last sync']} />
              </tr>
            </thead>
            <tbody>
              {datasets.map((dataset) => (
                <tr key={dataset.name}>
                  <td className="name">
                    {/* A long name ends in "…" so the other columns stay on screen; the whole name is its title. */}
                    <button type="button" className="link" title={dataset.name} onClick={() => onOpen(dataset.name)}>
                      <bdi>{dataset.name}</bdi>
                    </button>
                  </td>
                  <td>{dataset.recordCount}</td>
                  <td>{formatBytes(dataset.bytes)}</td>
                  <td>{dataset.pendingChanges > 0 ? plural(dataset.pendingChanges, 'change') : dataset.syncPending ? 'not yet' : '—'}</td>
                  <td>{dataset.conflicts > 0 ? <span className="badge conflict">{plural(dataset.conflicts, 'conflict')}</span> : '—'}</td>
                  <td>{formatTime(dataset.lastSyncedAt)}</td>
                  <td className="row-actions">
                    <button type="button" className="danger-link" aria-label={`Delete dataset ${dataset.name}`} onClick={() => setDeleting(dataset)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deleting && <DeleteDatasetDialog dataset={deleting} onConfirm={remove} onCancel={() => setDeleting(undefined)} />}
    </section>
  );
}
