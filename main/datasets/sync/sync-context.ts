// What every phase of a dataset's sync shares: the store's sync view, the user's partition of the
// table, who and when, and where progress and skipped items are told.
import type * as remote from '../../aws/dataset-table';
import type { AppErrorView } from '../../../shared/errors';
import type { Logger } from '../../platform/log';
import type { PullResult, PulledRecord, SyncStorage } from '../store/sync-storage';

export interface SyncContext {
  storage: SyncStorage;
  table: remote.DatasetTable;
  identityId: string;
  deviceId: string;
  now(): number;
  log: Logger;
  /** Told how many records a step has received (a pull's page) or sent (a commit): never the two mixed. */
  progress(dataset: string, step: SyncStep): void;
  /** What one commit may hold (see commit-budget.ts). */
  budget: remote.CommitBudget;
  /** How many sub-ranges a pull reads side by side (pull-changes.ts's PULL_RANGES unless set). */
  pullRanges?: number;
  /** Told of each remote item skipped as malformed: it never reaches the store. */
  malformed?(item: remote.MalformedItem): void;
  /**
   * Told right after a remote change this device made has landed (a commit of records, a delete, a
   * re-create), with the header's new syncCount: the push hints tell the other devices. It must return
   * at once and never throw; the engine does not wait on anyone hearing it.
   */
  committed?(dataset: string, syncCount: number): void;
}

export interface SyncStep {
  pulled?: number;
  pushed?: number;
}

export interface DatasetSyncResult {
  dataset: string;
  pulled: number;
  pushed: number;
  /** Commits that found another device had committed first (each one pulled, merged and retried). */
  conflictingCommits: number;
  /** Keys now waiting for the user under the manual policy. */
  conflicts: string[];
  /** What a remote delete or re-create did to this copy (see PullResult.remoteReset). */
  remoteReset: PullResult['remoteReset'];
  /** Remote items skipped as malformed (see remote.MalformedItem). */
  skipped: number;
  error?: AppErrorView;
}

export function emptyResult(dataset: string, error?: AppErrorView): DatasetSyncResult {
  return { dataset, pulled: 0, pushed: 0, conflictingCommits: 0, conflicts: [], remoteReset: null, skipped: 0, ...(error === undefined ? {} : { error }) };
}

/** A remote record as the store's merge takes it. */
export function toMergeRecord(record: remote.RecordItem): PulledRecord {
  return {
    key: record.key,
    value: record.value ?? null,
    syncCount: record.syncCount,
    deviceLastModified: record.deviceLastModified,
    lastModifiedBy: record.lastModifiedBy,
  };
}
