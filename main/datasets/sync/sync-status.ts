// What the status bar shows, per dataset and overall, from the store's sync states and what the
// engine is doing right now. Pure, so each state is shown by a unit test.
import type { PushStatus } from './push-hints';
import type { AppErrorView } from '../../../shared/errors';
import { pendingChangesOf, type DatasetSyncState } from '../store/sync-state';

/** Items of the dataset's cloud copy that sync skipped as malformed (see dataset-table's MalformedItem). */
export interface DatasetWarning {
  skippedItems: number;
  /** A sentence for the user: what was skipped, and that the rest synced. */
  message: string;
}

export type DatasetStatus = (
  | { state: 'synced'; lastSyncedAt: number | null }
  | ({ state: 'syncing' } & SyncProgress)
  | { state: 'offline'; pending: number }
  | { state: 'pending'; pending: number }
  | { state: 'conflicts'; conflicts: number; pending: number }
  | { state: 'error'; error: AppErrorView; pending: number }
) & { warning?: DatasetWarning };

/**
 * How far a sync has got, pulls and pushes apart: `done` of `total` records sent (the changes it found
 * to send), and `pulled` records received so far (how many a pull brings is known only when it ends).
 */
export interface SyncProgress {
  done: number;
  total: number;
  pulled: number;
}

/** A dataset of the cloud this app leaves alone: a name it refuses, or a damaged header and no copy here. */
export interface UnsupportedDataset {
  name: string;
  reason: 'name' | 'damaged';
}

export interface EngineStatus {
  /** The most pressing state: syncing, offline, error, conflicts, pending, synced. */
  overall: DatasetStatus['state'];
  /** Changes the next sync sends (see pendingChangesOf): conflicted records are not among them. */
  pending: number;
  conflicts: number;
  /** While syncing: records sent of those to send, over every dataset being synced. */
  done: number;
  total: number;
  /** While syncing: records received, over every dataset being synced. */
  pulled: number;
  error?: AppErrorView;
  /**
   * Keyed by dataset name, which the user chooses: a null-prototype object, so `__proto__` or
   * `constructor` is a dataset like any other (on a plain `{}` the first set the prototype and vanished).
   */
  datasets: Record<string, DatasetStatus>;
  /** Datasets in the cloud this device does not sync (they are never created here); absent when none. */
  unsupported?: UnsupportedDataset[];
  /**
   * The push hints' connection (push-hints.ts), told beside the engine's own status by the identity's
   * sync (identity-sync.ts): absent when the profile names no Events API.
   */
  push?: PushStatus;
}

export interface EngineActivity {
  online: boolean;
  /** Datasets being synced now, with their progress. */
  syncing: ReadonlyMap<string, SyncProgress>;
  /** The last sync's error per dataset (cleared by a sync that succeeds). */
  errors: ReadonlyMap<string, AppErrorView>;
  /** The header Query's error, which stops every dataset. */
  overallError?: AppErrorView;
  /** Per dataset, the remote items sync skipped as malformed. */
  warnings?: ReadonlyMap<string, DatasetWarning>;
  unsupported?: readonly UnsupportedDataset[];
}

export function syncStatusOf(states: readonly DatasetSyncState[], activity: EngineActivity): EngineStatus {
  const datasets = Object.create(null) as Record<string, DatasetStatus>;
  let pending = 0;
  let conflicts = 0;
  let done = 0;
  let total = 0;
  let pulled = 0;
  for (const state of states) {
    const changes = pendingChangesOf(state.pendingRecords, state.headerPending || state.deletePending);
    pending += changes;
    conflicts += state.conflicts;
    if (state.deleted && !state.deletePending) continue;
    const progress = activity.syncing.get(state.name);
    const error = activity.errors.get(state.name);
    if (progress !== undefined) {
      done += progress.done;
      total += progress.total;
      pulled += progress.pulled;
      datasets[state.name] = { state: 'syncing', done: progress.done, total: progress.total, pulled: progress.pulled };
    } else if (!activity.online && changes > 0) datasets[state.name] = { state: 'offline', pending: changes };
    else if (error !== undefined) datasets[state.name] = { state: 'error', error, pending: changes };
    else if (state.conflicts > 0) datasets[state.name] = { state: 'conflicts', conflicts: state.conflicts, pending: changes };
    else if (changes > 0) datasets[state.name] = { state: 'pending', pending: changes };
    else datasets[state.name] = { state: 'synced', lastSyncedAt: state.lastSyncedAt };
    const warning = activity.warnings?.get(state.name);
    if (warning !== undefined) datasets[state.name] = { ...datasets[state.name]!, warning };
  }
  const error = activity.overallError ?? Object.values(datasets).find((each) => each.state === 'error')?.error;
  const overall: DatasetStatus['state'] =
    activity.syncing.size > 0 ? 'syncing'
    : !activity.online ? 'offline'
    : error !== undefined ? 'error'
    : conflicts > 0 ? 'conflicts'
    : pending > 0 ? 'pending'
    : 'synced';
  return {
    overall,
    pending,
    conflicts,
    done,
    total,
    pulled,
    ...(error === undefined ? {} : { error }),
    datasets,
    ...(activity.unsupported?.length ? { unsupported: [...activity.unsupported] } : {}),
  };
}
