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
