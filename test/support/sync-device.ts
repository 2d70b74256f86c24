// Test support: one device of a signed-in user as the composition root builds it — its own profile
// dir (SQLite file, profile ID), the dataset store, and the sync engine on the user's partition —
// plus readers that put a device's copy and the remote side of a dataset into plain maps.
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import * as remote from '../../main/aws/dataset-table';
import { openDatasetStore, type OpenedDatasetStore } from '../../main/datasets/store/dataset-store';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from '../../main/datasets/sync/sync-engine';
import { profileIdOf } from '../../main/platform/platform';
import type { CloudDevice, signInCloudUser } from './cloud-user';

export interface SyncDevice extends CloudDevice {
  deviceId: string;
  store: OpenedDatasetStore;
  engine: SyncEngine;
  /** The device's live records of `dataset` (empty when it does not have the dataset). */
  records(dataset: string): Map<string, string>;
}

export type CloudUser = Awaited<ReturnType<typeof signInCloudUser>>;

export async function openSyncDevice(
  user: CloudUser,
  root: string,
  options: { profileDir?: string; maxAttempts?: number; now?: () => number; engine?: Partial<SyncEngineOptions> } = {},
): Promise<SyncDevice> {
  const profileDir = options.profileDir ?? (await mkdtemp(join(root, 'device-')));
  const device = await user.device({ profileDir, maxAttempts: options.maxAttempts });
  const deviceId = profileIdOf(profileDir);
  const store = openDatasetStore({ profileDir, deviceId, now: options.now });
  const engine = createSyncEngine({
    storage: store.syncStorage,
    table: device.table,
    deviceId,
    isOnline: () => device.platform.isOnline() && !store.workOffline(),
    now: options.now,
    backoff: { baseMs: 5, maxMs: 100 },
    ...options.engine,
  });
  return {
    ...device,
    deviceId,
    store,
    engine,
    records: (dataset) => localRecords(store, device.identityId, dataset),
    close() {
      engine.close();
      store.close();
      device.close();
    },
  };
}

export function localRecords(store: OpenedDatasetStore, identityId: string, dataset: string): Map<string, string> {
  const records = new Map<string, string>();
  if (!store.listDatasets(identityId).some((summary) => summary.name === dataset)) return records;
  let cursor: string | undefined;
  do {
    const page = store.listRecords(identityId, dataset, { limit: 1000, cursor });
    for (const record of page.records) records.set(record.key, record.value);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return records;
}

/** The dataset as the table holds it: the live records of the header's generation. */
export async function remoteRecords(table: remote.DatasetTable, dataset: string): Promise<Map<string, string>> {
  const header = await remote.getHeader(table, dataset);
  if (header === undefined || header.deleted) return new Map();
  const records = await remote.pullChanges(table, dataset, { after: 0, through: header.syncCount, generation: header.generation });
  return new Map(records.filter((record) => !record.deleted).map((record) => [record.key, record.value!]));
}

/** Requests the gateway forwarded for `identityId` since the last reset, per operation. */
export function requestsOf(counts: Record<string, Record<string, number>>, identityId: string): Record<string, number> {
  return counts[identityId] ?? {};
}
