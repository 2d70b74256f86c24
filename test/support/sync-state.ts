// A dataset's sync state as the store reports it, for tests of the decisions made from it: a
// synced, empty, clean dataset unless the test says otherwise.
import type { DatasetSyncState } from '../../main/datasets/store/sync-storage';

export function syncStateOf(name: string, overrides: Partial<DatasetSyncState> = {}): DatasetSyncState {
  return {
    name,
    lastSyncCount: 0,
    syncedGeneration: 0,
    generation: 0,
    deleted: false,
    deletePending: false,
    headerPending: false,
    policy: 'manual',
    pendingRecords: 0,
    conflicts: 0,
    recordCount: 0,
    bytes: 0,
    lastSyncedAt: null,
    ...overrides,
  };
}
