// The engine's side of the status bar: which datasets sync now and how far, their last errors and
// warnings, the datasets the cloud holds that this device leaves alone — and telling subscribers
// whenever that, or the store ("N changes pending"), changes. The picture itself is sync-status.ts.
import { createRepeatLog, type Logger } from '../../platform/log';
import { toAppErrorView, type AppErrorView } from '../../../shared/errors';
import type * as remote from '../../aws/dataset-table';
import type { SyncStorage } from '../store/sync-storage';
import type { SyncStep } from './sync-context';
import { syncStatusOf, type DatasetWarning, type EngineStatus, type SyncProgress, type UnsupportedDataset } from './sync-status';

/** At most this many unsupported datasets are listed in the status (the rest are only counted in the log). */
const MAX_UNSUPPORTED_LISTED = 50;

/** Progress and local-write status changes are told at most this often. */
export const PUBLISH_INTERVAL_MS = 250;

export interface StatusTracker {
  status(): EngineStatus;
  subscribe(listener: (status: EngineStatus) => void): () => void;
  /** A dataset's sync starts, with `toSend` records found to send so far. */
  started(dataset: string, toSend: number): void;
  /** Records a step received or sent: counted apart. */
  progress(dataset: string, step: SyncStep): void;
  malformed(item: remote.MalformedItem): void;
  /** A dataset's sync ended: with `error`, or cleanly. */
  ended(dataset: string, error?: unknown): void;
  syncing(): boolean;
  /** The header Query's outcome, which stops every dataset when it fails. */
  headersRead(error?: unknown): void;
  noteUnsupported(found: readonly UnsupportedDataset[]): void;
  publish(): void;
  close(): void;
}

export function createStatusTracker(options: { storage: SyncStorage; identityId: string; isOnline(): boolean; log: Logger; now?: () => number }): StatusTracker {
  const { storage, identityId, log } = options;
  const listeners = new Set<(status: EngineStatus) => void>();
  const syncing = new Map<string, SyncProgress>();
  const errors = new Map<string, AppErrorView>();
  // A dataset failing the same way every 15 s is logged once, then counted (the log holds 1 MiB).
  const repeats = createRepeatLog(log, { now: options.now });
  // Remote items skipped as malformed, per dataset, since the engine started: the status shows them.
  const warnings = new Map<string, DatasetWarning>();
  // Skipped during the sync under way, logged once when it ends: per problem, how many.
  const skippedNow = new Map<string, Map<string, number>>();
  const unsupported = createUnsupportedList(log);
  let overallError: AppErrorView | undefined;
  let closed = false;

  const status = () => syncStatusOf(storage.listSyncStates(identityId), { online: options.isOnline(), syncing, errors, overallError, warnings, unsupported: unsupported.listed() });
  // Real elapsed time, not the injected clock (which dates things and may be a test's).
  const now = () => performance.now();
  let lastPublished = -Infinity;
  let queued: { cancel(): void } | undefined;
  function publish(): void {
    queued?.cancel();
    queued = undefined;
    if (listeners.size === 0 || closed) return;
    lastPublished = now();
    const snapshot = status();
    for (const listener of listeners) listener(snapshot);
  }
  // Progress and local writes ("N changes pending") change the status many times a second during a
  // large push or pull: each told at once, a publish per commit would cost O(commits × datasets)
  // and flood the renderer. They are coalesced: at the next turn, and at most every
  // PUBLISH_INTERVAL_MS. A sync's start and end are told at once.
  function publishSoon(): void {
    if (queued !== undefined || closed) return;
    const wait = Math.max(0, lastPublished + PUBLISH_INTERVAL_MS - now());
    if (wait === 0) {
      const handle = setImmediate(publish);
      queued = { cancel: () => clearImmediate(handle) };
    } else {
      const handle = setTimeout(publish, wait);
      handle.unref?.();
      queued = { cancel: () => clearTimeout(handle) };
    }
  }
  const stopStore = storage.subscribe((event) => {
    if (event.type === 'deviceRenamed' || event.type === 'devicesChanged') return;
    if (event.type !== 'workOfflineChanged' && event.identityId !== identityId) return;
    publishSoon();
  });

  /** One line per dataset sync that skipped items, however many: by problem, never a key or value. */
  function logSkipped(dataset: string): void {
    const problems = skippedNow.get(dataset);
    if (problems === undefined) return;
    skippedNow.delete(dataset);
    const skipped = [...problems.values()].reduce((sum, count) => sum + count, 0);
    log.warn('skipped malformed items of a dataset in the cloud', { skipped, problems: Object.fromEntries([...problems].slice(0, 10)) });
  }

  return {
    status,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    started(dataset, toSend) {
      syncing.set(dataset, { done: 0, total: toSend, pulled: 0 });
      publish();
    },
    progress(dataset, step) {
      const current = syncing.get(dataset);
      if (current === undefined) return;
      current.pulled += step.pulled ?? 0;
      current.done += step.pushed ?? 0;
      // A pull can leave more to send (a conflict the `local` policy keeps): never "5 of 3".
      current.total = Math.max(current.total, current.done);
      publishSoon();
    },
    malformed(item) {
      warnings.set(item.dataset, warningOf((warnings.get(item.dataset)?.skippedItems ?? 0) + 1));
      const problems = skippedNow.get(item.dataset) ?? new Map<string, number>();
      skippedNow.set(item.dataset, problems);
      problems.set(item.problem, (problems.get(item.problem) ?? 0) + 1);
    },
    ended(dataset, error) {
      if (error === undefined) {
        errors.delete(dataset);
        repeats.ended(dataset);
      } else {
        const view = toAppErrorView(error);
        errors.set(dataset, view);
        if (view.code === 'INTERNAL') repeats.failed(dataset, view.code, 'error', 'a dataset sync failed', { error });
        else repeats.failed(dataset, view.code, 'warn', 'a dataset sync failed', { code: view.code });
      }
      logSkipped(dataset);
      syncing.delete(dataset);
      publish();
    },
    syncing: () => syncing.size > 0,
    headersRead(error) {
      overallError = error === undefined ? undefined : toAppErrorView(error);
      if (error !== undefined) publish();
    },
    noteUnsupported: unsupported.note,
    publish,
    close() {
      closed = true;
      queued?.cancel();
      queued = undefined;
      stopStore();
      listeners.clear();
    },
  };
}

/** The datasets the cloud holds that this device leaves alone, as the status lists them. */
function createUnsupportedList(log: Logger): { note(found: readonly UnsupportedDataset[]): void; listed(): UnsupportedDataset[] } {
  let listed: UnsupportedDataset[] = [];
  // Already logged: a header read every sync is logged when it first appears.
  const logged = new Set<string>();
  return {
    note(found) {
      const fresh = found.filter((each) => !logged.has(`${each.reason}:${each.name}`));
      for (const each of fresh) logged.add(`${each.reason}:${each.name}`);
      if (fresh.length > 0) {
        log.warn('the cloud holds datasets this app leaves alone (a name it refuses, or a damaged header)', {
          names: fresh.filter((each) => each.reason === 'name').length,
          damaged: fresh.filter((each) => each.reason === 'damaged').length,
        });
      }
      const byName = new Map<string, UnsupportedDataset>();
      for (const each of found) byName.set(shownName(each.name), { ...each, name: shownName(each.name) });
      listed = [...byName.values()].slice(0, MAX_UNSUPPORTED_LISTED);
    },
    listed: () => listed,
  };
}

/** A name fit for the status: whole characters, at most 64 of them. */
function shownName(name: string): string {
  const characters = Array.from(name);
  return characters.length <= 64 ? name : `${characters.slice(0, 63).join('')}…`;
}

function warningOf(skippedItems: number): DatasetWarning {
  return {
    skippedItems,
    message: `${skippedItems === 1 ? '1 item' : `${skippedItems} items`} of this dataset in the cloud ${skippedItems === 1 ? 'was' : 'were'} malformed (not written by this app as it should be) and skipped; everything else synced.`,
  };
}
