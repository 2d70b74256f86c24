// The local dataset store: one SQLite file per profile, rows kept per Cognito identity ID, behind
// one typed surface (Signal's Interface style): the user's reads, the user's writes, and the sync
// engine's bookkeeping, each in its own module. Record values, keys and dataset names are never
// logged — the store logs counts and codes only.
import { silentLogger, type Logger } from '../platform/log';
import { DEFAULT_LIMITS, type DatasetLimits } from './limits';
import type { ConflictPolicyName, RemoteRecord } from './merge-record';
import { datasetsFileOf, openDatasetDatabase } from './open-database';
import { statementCache, type DatasetStoreEvent, type StoreContext } from './store-context';
import * as reads from './store-reads';
import * as writes from './store-writes';
import * as sync from './sync-bookkeeping';

export type { DatasetStoreEvent } from './store-context';
export type { ConflictView, DatasetSummary, ListConflictsOptions, ListedRecord, ListRecordsOptions, RecordPage, RecordView, UnsyncedChanges } from './store-reads';
export type { ConflictResolution } from './store-writes';
export type {
  CommittedRecord,
  DatasetSyncState,
  PendingBatch,
  PendingOptions,
  PendingRecord,
  PullHeader,
  PullResult,
} from './sync-bookkeeping';
export type { ConflictPolicyName, RemoteRecord } from './merge-record';

export interface DatasetStoreOptions {
  profileDir: string;
  /** This device's ID, written as lastModifiedBy of local writes (the profile's ID). */
  deviceId: string;
  now?: () => number;
  log?: Logger;
  /** Defaults to sync-protocol.md's limits; tests lower them. */
  limits?: Partial<DatasetLimits>;
}

export interface DatasetStore {
  /** The SQLite file (for diagnostics and tests). */
  readonly file: string;

  // The user's reads.
  listDatasets(identityId: string): reads.DatasetSummary[];
  /** DATASET_NOT_FOUND when absent or deleted. */
  getDataset(identityId: string, dataset: string): reads.DatasetSummary;
  listRecords(identityId: string, dataset: string, options?: reads.ListRecordsOptions): reads.RecordPage;
  /** undefined when the key holds nothing (never written, or removed). */
  getRecord(identityId: string, dataset: string, key: string): reads.RecordView | undefined;
  /** Every open conflict of the identity, or of one dataset (the first ones, with `maxBytes`). */
  listConflicts(identityId: string, dataset?: string, options?: reads.ListConflictsOptions): reads.ConflictView[];
  /** For the sign-out dialog: what removing this identity's data would lose. */
  unsyncedChanges(identityId: string): reads.UnsyncedChanges;
  /** The profile's "Work offline" switch (not per identity). */
  workOffline(): boolean;

  // The user's writes: each one transaction, durable when it returns.
  openOrCreate(identityId: string, dataset: string): reads.DatasetSummary;
  deleteDataset(identityId: string, dataset: string): void;
  /** False when the key already held this value. */
  put(identityId: string, dataset: string, key: string, value: string): boolean;
  /** An import: all in one transaction, all checked first (nothing is written if one fails). Returns how many changed. */
  putMany(identityId: string, dataset: string, records: readonly { key: string; value: string }[]): number;
  /** False when the key held nothing. */
  remove(identityId: string, dataset: string, key: string): boolean;
  resolveConflict(identityId: string, dataset: string, key: string, resolution: writes.ConflictResolution): void;
  setConflictPolicy(identityId: string, dataset: string, policy: ConflictPolicyName): void;
  setWorkOffline(on: boolean): void;
  removeIdentityData(identityId: string): void;

  /** Calls `listener` after each committed change; returns the unsubscribe. */
  subscribe(listener: (event: DatasetStoreEvent) => void): () => void;

  // The sync engine's bookkeeping (sync-protocol.md).
  /** One dataset's sync state, deleted ones included; undefined if this copy never knew it. */
  syncState(identityId: string, dataset: string): sync.DatasetSyncState | undefined;
  /** Every dataset's sync state, deleted ones included, to compare with the one header Query. */
  listSyncStates(identityId: string): sync.DatasetSyncState[];
  /** The next commit's worth of dirty, non-conflicted records with their local_version snapshot. */
  pendingChanges(identityId: string, dataset: string, options?: sync.PendingOptions): sync.PendingBatch | undefined;
  /** A commit landed at `newSyncCount`: clean what did not change since its snapshot. */
  markCommitted(
    identityId: string,
    dataset: string,
    newSyncCount: number,
    generation: number,
    records: readonly sync.CommittedRecord[],
  ): { cleaned: number; stillDirty: number };
  /** The delete header landed at `newSyncCount` (or the remote never had it). */
  markDeletePushed(identityId: string, dataset: string, newSyncCount: number, syncedGeneration: number): void;
  /** Pull step 3 in one transaction: header (delete / new generation), merge of every record, S := H. */
  applyPull(identityId: string, dataset: string, pull: { header: sync.PullHeader; records: readonly RemoteRecord[] }): sync.PullResult;
  /** A sync found these datasets unchanged: only their last-synced time moves. */
  noteSynced(identityId: string, datasets: readonly string[]): void;

  close(): void;
}

export function openDatasetStore(options: DatasetStoreOptions): DatasetStore {
  const log = (options.log ?? silentLogger).child('datasets');
  const now = options.now ?? Date.now;
  const db = openDatasetDatabase({ profileDir: options.profileDir, log, now });
  const listeners = new Set<(event: DatasetStoreEvent) => void>();
  const ctx: StoreContext = {
    db,
    sql: statementCache(db),
    deviceId: options.deviceId,
    now,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    emit: (event) => {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          log.error('a dataset store listener failed', { error: { name: (error as Error)?.name } });
        }
      }
    },
  };

  return {
    file: datasetsFileOf(options.profileDir),
    listDatasets: (identityId) => reads.listDatasets(ctx, identityId),
    getDataset: (identityId, dataset) => reads.datasetSummary(ctx, identityId, dataset),
    listRecords: (identityId, dataset, listOptions) => reads.listRecords(ctx, identityId, dataset, listOptions),
    getRecord: (identityId, dataset, key) => reads.getRecord(ctx, identityId, dataset, key),
    listConflicts: (identityId, dataset, listOptions) => reads.listConflicts(ctx, identityId, dataset, listOptions),
    unsyncedChanges: (identityId) => reads.unsyncedChanges(ctx, identityId),
    workOffline: () => reads.workOffline(ctx),

    openOrCreate: (identityId, dataset) => {
      writes.openOrCreateDataset(ctx, identityId, dataset);
      return reads.datasetSummary(ctx, identityId, dataset);
    },
    deleteDataset: (identityId, dataset) => writes.deleteDataset(ctx, identityId, dataset),
    put: (identityId, dataset, key, value) => writes.putRecord(ctx, identityId, dataset, key, value),
    putMany: (identityId, dataset, records) => writes.putRecords(ctx, identityId, dataset, records),
    remove: (identityId, dataset, key) => writes.removeRecord(ctx, identityId, dataset, key),
    resolveConflict: (identityId, dataset, key, resolution) => writes.resolveConflict(ctx, identityId, dataset, key, resolution),
    setConflictPolicy: (identityId, dataset, policy) => writes.setConflictPolicy(ctx, identityId, dataset, policy),
    setWorkOffline: (on) => writes.setWorkOffline(ctx, on),
    removeIdentityData: (identityId) => {
      writes.removeIdentityData(ctx, identityId);
      log.info('removed the local data of an identity', { identityId });
    },

    subscribe: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },

    syncState: (identityId, dataset) => sync.syncState(ctx, identityId, dataset),
    listSyncStates: (identityId) => sync.listSyncStates(ctx, identityId),
    pendingChanges: (identityId, dataset, pendingOptions) => sync.pendingChanges(ctx, identityId, dataset, pendingOptions),
    markCommitted: (identityId, dataset, newSyncCount, generation, records) =>
      sync.markCommitted(ctx, identityId, dataset, newSyncCount, generation, records),
    markDeletePushed: (identityId, dataset, newSyncCount, syncedGeneration) => sync.markDeletePushed(ctx, identityId, dataset, newSyncCount, syncedGeneration),
    applyPull: (identityId, dataset, pull) => {
      const result = sync.applyPull(ctx, identityId, dataset, pull);
      log.debug('applied a pull', {
        records: pull.records.length,
        taken: result.taken,
        keptLocal: result.keptLocal,
        resolvedByPolicy: result.resolvedByPolicy,
        conflicts: result.conflicts.length,
        ignored: result.ignored,
        remoteReset: result.remoteReset,
      });
      return result;
    },
    noteSynced: (identityId, datasets) => sync.noteSynced(ctx, identityId, datasets),

    close: () => {
      listeners.clear();
      db.close();
    },
  };
}
