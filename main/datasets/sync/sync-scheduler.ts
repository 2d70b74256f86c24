// When sync runs (docs/sync-protocol.md): at once when started (after sign-in), a moment after a local
// change (debounced, so typing is one sync), when the network comes back or "Work offline" is
// switched off, on a timer while the app is open, and on demand. The engine makes each of these
// one header Query when nothing changed, and no request at all while offline.
import { createRepeatLog, silentLogger, type Logger } from '../../platform/log';
import type { Platform } from '../../platform/platform';
import type { SyncStorage } from '../store/sync-storage';
import type { SyncEngine, SyncReport } from './sync-engine';

export const DEFAULT_SYNC_INTERVAL_MS = 15_000;
export const DEFAULT_CHANGE_DEBOUNCE_MS = 1_500;

export interface SyncSchedulerOptions {
  engine: SyncEngine;
  /** The store's events (a DatasetStore or the engine's SyncStorage). */
  store: Pick<SyncStorage, 'subscribe'>;
  identityId: string;
  platform: Pick<Platform, 'onOnlineChange'>;
  intervalMs?: number;
  debounceMs?: number;
  log?: Logger;
}

export interface SyncScheduler {
  /** "Sync now": all datasets, or one, and what it did; rejects with the sync's error (OFFLINE when offline). */
  syncNow(dataset?: string): Promise<SyncReport>;
  stop(): void;
}

export function startSyncScheduler(options: SyncSchedulerOptions): SyncScheduler {
  const { engine, store, identityId } = options;
  const log = (options.log ?? silentLogger).child('sync-scheduler');
  const debounceMs = options.debounceMs ?? DEFAULT_CHANGE_DEBOUNCE_MS;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  // A failure that comes back every 15 s is written once, then counted (main/platform/log.ts).
  const failures = createRepeatLog(log);

  function runSync(reason: string): void {
    if (stopped) return;
    engine.syncAll().then(
      () => failures.ended('sync'),
      (error: unknown) => {
        const code = (error as { code?: string }).code;
        // Offline is a state the status shows, not a failure.
        if (code === 'OFFLINE') log.debug('sync skipped: offline', { reason });
        else failures.failed('sync', String(code), 'warn', 'sync failed', { reason, code });
      },
    );
  }

  function afterChange(): void {
    if (debounce !== undefined) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = undefined;
      runSync('local change');
    }, debounceMs);
  }

  const stopStore = store.subscribe((event) => {
    if (event.type === 'workOfflineChanged') {
      if (!event.workOffline) runSync('work offline switched off');
      return;
    }
    // The cloud hears the new name with the next sync, as soon as a change would be.
    if (event.type === 'deviceRenamed') return afterChange();
    if (event.identityId !== identityId) return;
    if (event.type === 'recordsChanged' && event.origin === 'local') afterChange();
    // A create or delete here; the engine's own bookkeeping during a sync says the same, and is not a change.
    else if (event.type === 'datasetsChanged' && !engine.busy()) afterChange();
  });
  const stopOnline = options.platform.onOnlineChange?.((online) => {
    if (online) runSync('network back');
  });
  const timer = setInterval(() => runSync('timer'), options.intervalMs ?? DEFAULT_SYNC_INTERVAL_MS);
  timer.unref?.();
  runSync('sign-in');

  return {
    syncNow(dataset) {
      if (dataset !== undefined) return engine.syncDataset(dataset).then((result) => ({ datasets: [result], unchanged: [] }));
      return engine.syncAll();
    },
    stop() {
      stopped = true;
      if (debounce !== undefined) clearTimeout(debounce);
      clearInterval(timer);
      stopStore();
      stopOnline?.();
    },
  };
}
