// The bridge's sync commands, and the one status view the status bar shows: the engine's status,
// the last sync time and the profile's "Work offline" switch.
import type { SyncStatus } from '../../../shared/ipc-contract';
import type { DatasetStore } from '../../datasets/store/dataset-store';
import type { DatasetStatus, EngineStatus } from '../../datasets/sync/sync-engine';
import type { Handlers } from '../router';

export interface SyncControl {
  /** The signed-in identity's engine status; NOT_SIGNED_IN when nobody is signed in. */
  status(): Promise<{ identityId: string; status: EngineStatus }>;
  /** Runs a sync now (one dataset, or all) and resolves when it has finished, however it ended. */
  syncNow(dataset?: string): Promise<void>;
  /** The user's switch: on, nothing touches the network; off, a sync runs at once. */
  setWorkOffline(workOffline: boolean): Promise<void>;
}

function datasetView(name: string, status: DatasetStatus): SyncStatus['datasets'][number] {
  return {
    name,
    state: status.state,
    ...(status.state === 'syncing' ? { progress: { done: status.done, total: status.total } } : {}),
    ...(status.state === 'error' ? { error: status.error } : {}),
    ...(status.warning === undefined ? {} : { warning: status.warning.message }),
  };
}

/** What the status bar shows, from the engine's status and the store's own facts. */
export function syncStatusView(store: DatasetStore, identityId: string, status: EngineStatus): SyncStatus {
  const workOffline = store.workOffline();
  const datasets = store.listDatasets(identityId);
  const synced = datasets.map((dataset) => dataset.lastSyncedAt).filter((time): time is number => time !== null);
  return {
    state: workOffline && status.overall !== 'syncing' ? 'offline' : status.overall,
    ...(status.overall === 'syncing' ? { progress: { done: status.done, total: status.total } } : {}),
    pendingChanges: status.pending,
    conflicts: status.conflicts,
    ...(status.error ? { error: status.error } : {}),
    lastSyncedAt: synced.length > 0 ? Math.max(...synced) : null,
    workOffline,
    datasets: Object.entries(status.datasets).map(([name, dataset]) => datasetView(name, dataset)),
    ...(status.unsupported === undefined ? {} : { unsupported: status.unsupported }),
  };
}

export function syncHandlers(store: DatasetStore, control: SyncControl): Pick<Handlers, 'sync.status' | 'sync.now' | 'sync.setWorkOffline'> {
  const view = async () => {
    const { identityId, status } = await control.status();
    return syncStatusView(store, identityId, status);
  };
  return {
    'sync.status': view,
    'sync.now': async ({ dataset }) => {
      await control.syncNow(dataset);
      return view();
    },
    'sync.setWorkOffline': async ({ workOffline }) => {
      await control.setWorkOffline(workOffline);
      return view();
    },
  };
}
