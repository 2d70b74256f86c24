// The local dataset store: one SQLite file per profile, rows kept per Cognito identity ID, behind
// one typed surface (Signal's Interface style): the user's reads and the user's writes, each in its
// own module. The sync engine's view of the same file is a separate, narrow SyncStorage. Record values, keys and dataset names are never
// logged — the store logs counts and codes only.
import { silentLogger, type Logger } from '../../platform/log';
import { DEFAULT_LIMITS, type DatasetLimits } from '../limits';
import * as devices from './device-names';
import type { ConflictPolicyName } from './merge-record';
import { compareImport, type ImportComparison } from './import-comparison';
import { datasetsFileOf, openDatasetDatabase } from './open-database';
import { storeContext, type DatasetStoreEvent } from './store-context';
import * as reads from './store-reads';
import * as writes from './store-writes';
import { syncStorageOf, type SyncStorage } from './sync-storage';

export type { DatasetStoreEvent } from './store-context';
export type { StoredConflict, DatasetSummary, ListConflictsOptions, ListedRecord, ListRecordsOptions, RecordPage, RecordView, UnsyncedChanges } from './store-reads';
export type { ConflictResolution, WriteOutcome } from './store-writes';
export type { KnownDevice, ThisDevice } from './device-names';
export type { ConflictPolicyName } from './merge-record';
export type { SyncStorage } from './sync-storage';

export interface DatasetStoreOptions {
  profileDir: string;
  /** This device's ID, written as lastModifiedBy of local writes (the profile's ID). */
  deviceId: string;
  /** The computer's name (os.hostname()): this device's name until the user chooses one. */
  defaultDeviceName?: string;
  now?: () => number;
  log?: Logger;
  /** Defaults to docs/sync-protocol.md's limits; tests lower them. */
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
  listConflicts(identityId: string, dataset?: string, options?: reads.ListConflictsOptions): reads.StoredConflict[];
  /** For the sign-out dialog: what removing this identity's data would lose. */
  unsyncedChanges(identityId: string): reads.UnsyncedChanges;
  /** The profile's "Work offline" switch (not per identity). */
  workOffline(): boolean;
  /** This device: its ID and the name it goes by (not per identity). */
  thisDevice(): devices.ThisDevice;
  /** The names the identity's other devices told, for the IDs asked (IDs never named are left out). */
  deviceNames(identityId: string, deviceIds: Iterable<string>): Map<string, string>;

  // The user's writes: each one transaction, durable when it returns.
  /** `created`: false when it existed already. */
  openOrCreate(identityId: string, dataset: string): reads.DatasetSummary & { created: boolean };
  /** Returns when it was deleted here. */
  deleteDataset(identityId: string, dataset: string): number;
  /** Changed false when the key already held this value. */
  put(identityId: string, dataset: string, key: string, value: string): writes.WriteOutcome;
  /** An import: all in one transaction, all checked first (nothing is written if one fails). Returns how many changed. */
  putMany(identityId: string, dataset: string, records: readonly { key: string; value: string }[]): number;
  /** What putting `records` would do: keys added, replacing another value, or unchanged (import-comparison.ts). */
  compareImport(identityId: string, dataset: string, records: ReadonlyMap<string, string>): ImportComparison;
  /** Changed false when the key held nothing. */
  remove(identityId: string, dataset: string, key: string): writes.WriteOutcome;
  resolveConflict(identityId: string, dataset: string, key: string, resolution: writes.ConflictResolution): writes.WriteOutcome;
  /** False when it was the policy already. */
  setConflictPolicy(identityId: string, dataset: string, policy: ConflictPolicyName): boolean;
  setWorkOffline(on: boolean): void;
  /** LIMIT_DEVICE_NAME when the name cannot be used; the next sync tells the cloud. */
  renameDevice(name: string): { device: devices.ThisDevice; changed: boolean };
  removeIdentityData(identityId: string): void;

  /** Calls `listener` after each committed change; returns the unsubscribe. */
  subscribe(listener: (event: DatasetStoreEvent) => void): () => void;

  close(): void;
}

/** The store as the composition root opens it: the user's surface, and the sync engine's apart. */
export interface OpenedDatasetStore extends DatasetStore {
  /** Given to the sync engine only; the bridge's handlers take a DatasetStore, which lacks it. */
  readonly syncStorage: SyncStorage;
}

export function openDatasetStore(options: DatasetStoreOptions): OpenedDatasetStore {
  const log = (options.log ?? silentLogger).child('datasets');
  const now = options.now ?? Date.now;
  const db = openDatasetDatabase({ profileDir: options.profileDir, log, now });
  const listeners = new Set<(event: DatasetStoreEvent) => void>();
  const ctx = storeContext(db, {
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
  });
  const subscribe = (listener: (event: DatasetStoreEvent) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
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
    thisDevice: () => devices.thisDevice(ctx, options.defaultDeviceName),
    deviceNames: (identityId, deviceIds) => devices.deviceNames(ctx, identityId, deviceIds),

    openOrCreate: (identityId, dataset) => {
      const created = writes.openOrCreateDataset(ctx, identityId, dataset);
      return { ...reads.datasetSummary(ctx, identityId, dataset), created };
    },
    deleteDataset: (identityId, dataset) => writes.deleteDataset(ctx, identityId, dataset),
    put: (identityId, dataset, key, value) => writes.putRecord(ctx, identityId, dataset, key, value),
    putMany: (identityId, dataset, records) => writes.putRecords(ctx, identityId, dataset, records),
    compareImport: (identityId, dataset, records) => compareImport(ctx, identityId, dataset, records),
    remove: (identityId, dataset, key) => writes.removeRecord(ctx, identityId, dataset, key),
    resolveConflict: (identityId, dataset, key, resolution) => writes.resolveConflict(ctx, identityId, dataset, key, resolution),
    setConflictPolicy: (identityId, dataset, policy) => writes.setConflictPolicy(ctx, identityId, dataset, policy),
    setWorkOffline: (on) => writes.setWorkOffline(ctx, on),
    renameDevice: (name) => devices.renameThisDevice(ctx, name, options.defaultDeviceName),
    removeIdentityData: (identityId) => {
      writes.removeIdentityData(ctx, identityId);
      log.info('removed the local data of an identity', { identityId });
    },

    subscribe,
    syncStorage: syncStorageOf(ctx, log, subscribe, options.defaultDeviceName),

    close: () => {
      listeners.clear();
      db.close();
    },
  };
}
