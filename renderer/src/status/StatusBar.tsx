// Always visible when signed in: what the sync is doing, when it last finished, Sync now, Work
// offline. The one role="status" region of the page. It stays one or two lines whatever the error
// says (the whole sentence is a click away), and Sync now never shrinks.
import { useEffect, useRef, useState } from 'react';
import type { SyncStatus } from '../../../shared/ipc-contract';
import { isolated } from '../common/bidi';
import { formatTime, plural } from '../common/format';

/** How long "Up to date" stays beside Sync now after a sync the person asked for found nothing to do. */
export const UP_TO_DATE_MS = 4000;

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
    case 'error': {
      const sentence = status.error?.message ?? 'Sync failed.';
      // What is waiting comes first, so a long sentence cut to two lines never hides it.
      return status.pendingChanges > 0 ? `${plural(status.pendingChanges, 'change')} pending, kept on this computer. ${sentence}` : sentence;
    }
    case 'synced':
      return 'Synced';
  }
}

/** "Last sync: …", or nothing where it would only contradict "Synced" (an account with nothing to sync yet). */
export function lastSyncText(status: SyncStatus): string | undefined {
  if (status.lastSyncedAt !== null) return `Last sync: ${formatTime(status.lastSyncedAt)}`;
  return status.state === 'synced' ? undefined : 'Not synced yet';
}

/**
 * What sync left aside, for the user to know: items of a dataset's cloud copy skipped as malformed,
 * and cloud datasets this device does not sync. Sync of everything else went on.
 */
export function syncNotes(status: SyncStatus): string[] {
  const notes = status.datasets.filter((dataset) => dataset.warning !== undefined).map((dataset) => `${isolated(dataset.name)}: ${dataset.warning}`);
  const unsupported = status.unsupported ?? [];
  if (unsupported.length > 0) {
    const names = unsupported.map((each) => (each.name === '' ? '(no name)' : isolated(each.name))).join(', ');
    notes.push(`${plural(unsupported.length, 'dataset')} in the cloud ${unsupported.length === 1 ? 'is' : 'are'} not synced by this app (unsupported name or damaged): ${names}`);
  }
  return notes;
}

/** How changes from the other computers arrive, in a word, and in a sentence for its tooltip. */
export function liveUpdatesText(state: NonNullable<SyncStatus['liveUpdates']>): { text: string; title: string } {
  return state === 'live'
    ? { text: 'Live', title: 'Live updates are on: changes made on your other computers appear here within a second.' }
    : {
        text: 'Live updates paused',
        title:
          'Live updates are not connected right now. Changes made on your other computers still arrive with the regular check every 15 seconds; live updates reconnect by themselves.',
      };
}

function LiveUpdates({ state }: { state: NonNullable<SyncStatus['liveUpdates']> }) {
  const { text, title } = liveUpdatesText(state);
  return (
    <span className={`live-updates ${state}`} title={title}>
      {text}
    </span>
  );
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
  const upToDate = useUpToDate(status);
  const text = status ? statusText(status) : 'Checking sync…';
  const lastSync = status && lastSyncText(status);
  return (
    <footer className={`status-bar ${status?.state ?? ''}`}>
      <div className="status-main">
        <span role="status" className="status-text" title={text}>
          {text}
        </span>
        {status?.state === 'error' && <StatusDetails text={text} />}
      </div>
      {lastSync && (
        <span className="last-sync" title={status?.lastSyncedAt ? new Date(status.lastSyncedAt).toLocaleString() : undefined}>
          {lastSync}
        </span>
      )}
      {status?.liveUpdates && <LiveUpdates state={status.liveUpdates} />}
      {status && <SyncNotes notes={syncNotes(status)} />}
      {/* Polite and always in the page, so that a screen reader hears "Up to date" when it appears. */}
      <span className="sync-feedback" aria-live="polite">
        {upToDate.shown ? '✓ Up to date' : ''}
      </span>
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
      <button
        type="button"
        className="sync-now"
        onClick={() => {
          upToDate.request();
          onSyncNow();
        }}
        disabled={!status || workOffline || status.state === 'syncing'}
      >
        Sync now
      </button>
    </footer>
  );
}

/**
 * After a click on Sync now: true for a moment once the sync has finished with everything synced,
 * so the click is seen to have done something even when nothing changed. The first status that
 * arrives after the click and is not "syncing" is the sync's outcome.
 */
function useUpToDate(status: SyncStatus | undefined): { shown: boolean; request(): void } {
  const [shown, setShown] = useState(false);
  // null: no click waiting for its outcome; otherwise the status the click was made on.
  const requested = useRef<SyncStatus | undefined | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => {
    if (requested.current === null || status === requested.current || status === undefined || status.state === 'syncing') return;
    requested.current = null;
    if (status.state !== 'synced') return;
    setShown(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setShown(false), UP_TO_DATE_MS);
  }, [status]);
  return {
    shown,
    request() {
      requested.current = status;
      clearTimeout(timer.current);
      setShown(false);
    },
  };
}

/** The whole sentence of an error the bar shows cut to two lines, opened on demand. */
function StatusDetails({ text }: { text: string }) {
  return (
    <details className="status-details">
      <summary>Details</summary>
      <p className="status-details-body">{text}</p>
    </details>
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
