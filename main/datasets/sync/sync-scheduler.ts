// When sync runs (docs/sync-protocol.md): at once when started (after sign-in), a moment after a local
// change (debounced, so typing is one sync), when the network comes back or "Work offline" is
// switched off, when push hints subscribe (to catch up on what no hint told), on a timer while the
// app is open, and on demand. The engine makes each of these one header Query when nothing changed,
// and no request at all while offline.
//
// The timer is paced by the push hints (push-hints.ts): every DEFAULT_SYNC_INTERVAL_MS while they
// are not subscribed (no endpoints, connecting, down, refused, offline), every SAFETY_POLL_MS while
// they are, since a hint can be lost. It starts over on each change, so a 15 s timer never runs on
// while hints arrive: a quiet, subscribed device costs 12 header Queries an hour.
import { createRepeatLog, silentLogger, type Logger } from '../../platform/log';
import type { Platform } from '../../platform/platform';
import type { SyncStorage } from '../store/sync-storage';
import type { SyncEngine, SyncReport } from './sync-engine';

/** The poll while push hints are not subscribed. */
export const DEFAULT_SYNC_INTERVAL_MS = 15_000;
/** The poll while they are: only a safety net for hints lost on the way. */
export const SAFETY_POLL_MS = 5 * 60_000;
/**
 * How long after the last local change a sync starts: long enough that a burst of saves (or a
 * script's puts) is one sync, short enough that another device shows the change within a second
 * with push hints (a 1.5 s wait used to be most of that second's budget).
 */
export const DEFAULT_CHANGE_DEBOUNCE_MS = 250;
/** A steady stream of changes still syncs at least this often (or every debounceMs, if longer). */
export const MAX_CHANGE_WAIT_MS = 2_000;

/**
 * How long after a local change at `now` the sync waits: `debounceMs` of quiet, but never past
 * `maxWaitMs` after the first change of the burst (`firstChangeAt`) — a plain debounce would never
 * sync while changes keep coming.
 */
export function changeWaitMs({ now, firstChangeAt, debounceMs, maxWaitMs }: { now: number; firstChangeAt: number; debounceMs: number; maxWaitMs: number }): number {
  return Math.max(0, Math.min(debounceMs, firstChangeAt + maxWaitMs - now));
}

export interface SyncSchedulerOptions {
  engine: SyncEngine;
  /** The store's events (a DatasetStore or the engine's SyncStorage). */
  store: Pick<SyncStorage, 'subscribe'>;
  identityId: string;
  platform: Pick<Platform, 'onOnlineChange'>;
  /** The poll while push hints are not subscribed (DEFAULT_SYNC_INTERVAL_MS). */
  intervalMs?: number;
  /** The poll while they are (SAFETY_POLL_MS). */
  safetyPollMs?: number;
  debounceMs?: number;
  log?: Logger;
}

export interface SyncScheduler {
  /** "Sync now": all datasets, or one, and what it did; rejects with the sync's error (OFFLINE when offline). */
  syncNow(dataset?: string): Promise<SyncReport>;
  /** Push hints subscribed (true) or not any more: the timer starts over at its pace, and a subscribe catches up at once. */
  pushChanged(subscribed: boolean): void;
  stop(): void;
}

export function startSyncScheduler(options: SyncSchedulerOptions): SyncScheduler {
  const { engine, store, identityId } = options;
  const log = (options.log ?? silentLogger).child('sync-scheduler');
  const debounceMs = options.debounceMs ?? DEFAULT_CHANGE_DEBOUNCE_MS;
  const maxWaitMs = Math.max(debounceMs, MAX_CHANGE_WAIT_MS);
  let debounce: ReturnType<typeof setTimeout> | undefined;
  // When the first change of the waiting burst came: the sync starts no later than maxWaitMs after it.
  let firstChangeAt: number | undefined;
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
    const now = Date.now();
    firstChangeAt ??= now;
    const wait = changeWaitMs({ now, firstChangeAt, debounceMs, maxWaitMs });
    debounce = setTimeout(() => {
      debounce = undefined;
      firstChangeAt = undefined;
      runSync('local change');
    }, wait);
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
  let subscribed = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  function startTimer(): void {
    if (timer !== undefined) clearInterval(timer);
    const every = subscribed ? (options.safetyPollMs ?? SAFETY_POLL_MS) : (options.intervalMs ?? DEFAULT_SYNC_INTERVAL_MS);
    timer = setInterval(() => runSync(subscribed ? 'safety poll' : 'timer'), every);
    timer.unref?.();
  }
  startTimer();
  runSync('sign-in');

  return {
    syncNow(dataset) {
      if (dataset !== undefined) return engine.syncDataset(dataset).then((result) => ({ datasets: [result], unchanged: [] }));
      return engine.syncAll();
    },
    pushChanged(now) {
      if (stopped || now === subscribed) return;
      subscribed = now;
      startTimer();
      // Hints are delivered at most once and none came while unsubscribed: one Query finds what was missed.
      if (subscribed) runSync('push subscribed');
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
