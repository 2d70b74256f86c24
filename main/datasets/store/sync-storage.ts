// The sync engine's whole view of the store, in the spirit of PowerSync's BucketStorageAdapter: the
// state each dataset is in, the next commit's worth of dirty records, and recording what a commit or
// a pull achieved. Apart from the user's DatasetStore, so the bridge never sees the engine's ledger.
import type { Logger } from '../../platform/log';
import * as devices from './device-names';
import type { PulledRecord } from './merge-record';
import * as bookkeeping from './sync-bookkeeping';
import type { MergeTally } from './merge-pulled-records';
import type { DatasetStoreEvent, StoreContext } from './store-context';
import * as state from './sync-state';
import * as streamed from './streamed-pull';

export type { CommittedRecord, PullHeader, PullResult } from './sync-bookkeeping';
export type { DatasetSyncState, PendingBatch, PendingOptions, PendingRecord } from './sync-state';
export type { PulledRecord } from './merge-record';
export type { MergeTally } from './merge-pulled-records';
export type { PullPlan, PullRangeProgress } from './streamed-pull';
export type { KnownDevice } from './device-names';

export interface SyncStorage {
  /** One dataset's sync state, deleted ones included; undefined if this copy never knew it. */
  syncState(identityId: string, dataset: string): state.DatasetSyncState | undefined;
  /** Every dataset's sync state, deleted ones included, to compare with the one header Query. */
  listSyncStates(identityId: string): state.DatasetSyncState[];
  /** The next commit's worth of dirty, non-conflicted records with their local_version snapshot. */
  pendingChanges(identityId: string, dataset: string, options?: state.PendingOptions): state.PendingBatch | undefined;
  /** A commit landed at `newSyncCount`: clean what did not change since its snapshot. */
  markCommitted(
    identityId: string,
    dataset: string,
    newSyncCount: number,
    generation: number,
    records: readonly bookkeeping.CommittedRecord[],
  ): { cleaned: number; stillDirty: number };
  /** The delete header landed at `newSyncCount` (or the remote never had it). */
  markDeletePushed(identityId: string, dataset: string, newSyncCount: number, syncedGeneration: number): void;
  /** Pull step 3 in one transaction: header (delete / new generation), merge of every record, S := H. */
  applyPull(identityId: string, dataset: string, pull: { header: bookkeeping.PullHeader; records: readonly PulledRecord[] }): bookkeeping.PullResult;
  /**
   * A streamed pull, step 1 (one transaction): the header settled, and the sub-ranges of (S, H] still
   * to read — those of a plan this header already had, or at most `ranges` new ones.
   */
  beginPull(identityId: string, dataset: string, header: bookkeeping.PullHeader, ranges: number): streamed.PullPlan;
  /** Step 2, per page (one transaction): merged, its sub-range done through `doneThrough`; undefined if the copy changed under the pull. */
  applyPulledPage(
    identityId: string,
    dataset: string,
    header: bookkeeping.PullHeader,
    page: { rangeFrom: number; records: readonly PulledRecord[]; doneThrough: number },
  ): MergeTally | undefined;
  /** Step 3 (one transaction): S := H once every sub-range is done; false if not (nothing moves). */
  finishPull(identityId: string, dataset: string, header: bookkeeping.PullHeader, recordsMerged: number): boolean;
  /** A sync found these datasets unchanged: only their last-synced time moves. */
  noteSynced(identityId: string, datasets: readonly string[]): void;
  /** The name this device tells the cloud and since when (0: the computer's name); undefined: none to tell. */
  deviceName(): { name: string; renamedAt: number } | undefined;
  /** The names the identity's other devices tell in the cloud now (this device's own is ignored). */
  noteDevices(identityId: string, known: readonly devices.KnownDevice[]): void;
  /** Calls `listener` after each committed change (a local write changes "N changes pending"); returns the unsubscribe. */
  subscribe(listener: (event: DatasetStoreEvent) => void): () => void;
}

export function syncStorageOf(ctx: StoreContext, log: Logger, subscribe: SyncStorage['subscribe'], defaultDeviceName?: string): SyncStorage {
  return {
    syncState: (identityId, dataset) => state.syncState(ctx, identityId, dataset),
    listSyncStates: (identityId) => state.listSyncStates(ctx, identityId),
    pendingChanges: (identityId, dataset, options) => state.pendingChanges(ctx, identityId, dataset, options),
    markCommitted: (identityId, dataset, newSyncCount, generation, records) =>
      bookkeeping.markCommitted(ctx, identityId, dataset, newSyncCount, generation, records),
    markDeletePushed: (identityId, dataset, newSyncCount, syncedGeneration) =>
      bookkeeping.markDeletePushed(ctx, identityId, dataset, newSyncCount, syncedGeneration),
    applyPull: (identityId, dataset, pull) => {
      const result = bookkeeping.applyPull(ctx, identityId, dataset, pull);
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
    beginPull: (identityId, dataset, header, ranges) => streamed.beginPull(ctx, identityId, dataset, header, ranges),
    applyPulledPage: (identityId, dataset, header, page) => streamed.applyPulledPage(ctx, identityId, dataset, header, page),
    finishPull: (identityId, dataset, header, recordsMerged) => {
      const finished = streamed.finishPull(ctx, identityId, dataset, header, recordsMerged);
      log.debug('finished a streamed pull', { records: recordsMerged, finished });
      return finished;
    },
    noteSynced: (identityId, datasets) => bookkeeping.noteSynced(ctx, identityId, datasets),
    deviceName: () => devices.publishedName(ctx, defaultDeviceName),
    noteDevices: (identityId, known) => void devices.noteDevices(ctx, identityId, known),
    subscribe,
  };
}
