// Always visible when signed in: what the sync is doing, when it last finished, Sync now, Work
// offline. The one role="status" region of the page.
import { useEffect, useState } from 'react';
import type { SyncStatus } from '../../../shared/ipc-contract';
import { formatTime, plural } from '../common/format';

export function statusText(status: SyncStatus): string {
  switch (status.state) {
    case 'syncing':
      return status.progress && status.progress.total > 0 ? `Syncing… (${status.progress.done} of ${status.progress.total})` : 'Syncing…';
    case 'offline':
      return status.pendingChanges > 0 ? `Offline — ${plural(status.pendingChanges, 'change')} pending` : 'Offline';
    case 'pending':
      return `${plural(status.pendingChanges, 'change')} pending`;
    case 'conflicts':
      return `${plural(status.conflicts, 'conflict')} to resolve`;
    case 'error':
      return status.error?.message ?? 'Sync failed.';
    case 'synced':
      return 'Synced';
  }
}

/**
 * What sync left aside, for the user to know: items of a dataset's cloud copy skipped as malformed,
 * and cloud datasets this device does not sync. Sync of everything else went on.
 */
export function syncNotes(status: SyncStatus): string[] {
  const notes = status.datasets.filter((dataset) => dataset.warning !== undefined).map((dataset) => `${dataset.name}: ${dataset.warning}`);
  const unsupported = status.unsupported ?? [];
  if (unsupported.length > 0) {
    const names = unsupported.map((each) => (each.name === '' ? '(no name)' : each.name)).join(', ');
    notes.push(`${plural(unsupported.length, 'dataset')} in the cloud ${unsupported.length === 1 ? 'is' : 'are'} not synced by this app (unsupported name or damaged): ${names}`);
  }
  return notes;
}

interface Props {
  status?: SyncStatus;
  onSyncNow(): void;
  onWorkOffline(workOffline: boolean): void;
}

export function StatusBar({ status, onSyncNow, onWorkOffline }: Props) {
  // The switch moves at once; the status that follows confirms it (or puts it back on an error).
  const [workOffline, setWorkOffline] = useState(status?.workOffline ?? false);
  useEffect(() => setWorkOffline(status?.workOffline ?? false), [status?.workOffline]);
  return (
    <footer className={`status-bar ${status?.state ?? ''}`}>
      <span role="status" className="status-text">
        {status ? statusText(status) : 'Checking sync…'}
      </span>
      {status && <span className="last-sync">Last sync: {formatTime(status.lastSyncedAt)}</span>}
      {status && <SyncNotes notes={syncNotes(status)} />}
      <span className="spacer" />
      <label className="switch">
        <input
          type="checkbox"
          checked={workOffline}
          disabled={!status}
          onChange={(event) => {
            setWorkOffline(event.target.checked);
            onWorkOffline(event.target.checked);
          }}
        />
        Work offline
      </label>
      <button type="button" onClick={onSyncNow} disabled={!status || workOffline || status.state === 'syncing'}>
        Sync now
      </button>
    </footer>
  );
}

function SyncNotes({ notes }: { notes: string[] }) {
  if (notes.length === 0) return null;
  return (
    <span className="sync-notes" title={notes.join('\n')}>
      ⚠ {notes[0]}
      {notes.length > 1 && ` (and ${notes.length - 1} more)`}
    </span>
  );
}
