// The bridge's sync commands, and the one status view the status bar shows: the engine's status,
// the last sync time and the profile's "Work offline" switch; "sync now" adds what the sync did.
import type { SyncReportView, SyncStatus } from '../../../shared/ipc-contract';
import type { DatasetStore } from '../../datasets/store/dataset-store';
import type { DatasetStatus, EngineStatus } from '../../datasets/sync/sync-engine';
import type { SyncOutcome } from '../../datasets/sync/sync-service';
import type { Handlers } from '../router';

export interface SyncControl {
  /** The signed-in identity's engine status; NOT_SIGNED_IN when nobody is signed in. */
  status(): Promise<{ identityId: string; status: EngineStatus }>;
  /** Runs a sync now (one dataset, or all) and resolves when it has finished, however it ended, with what it did. */
  syncNow(dataset?: string): Promise<SyncOutcome>;
  /** The user's switch: on, nothing touches the network; off, a sync runs at once. */
  setWorkOffline(workOffline: boolean): Promise<void>;
}

function datasetView(name: string, status: DatasetStatus): SyncStatus['datasets'][number] {
  return {
    name,
    state: status.state,
    ...(status.state === 'syncing' ? { progress: { done: status.done, total: status.total, pulled: status.pulled } } : {}),
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
    ...(status.overall === 'syncing' ? { progress: { done: status.done, total: status.total, pulled: status.pulled } } : {}),
    pendingChanges: status.pending,
    conflicts: status.conflicts,
    ...(status.error ? { error: status.error } : {}),
    lastSyncedAt: synced.length > 0 ? Math.max(...synced) : null,
    workOffline,
    datasets: Object.entries(status.datasets).map(([name, dataset]) => datasetView(name, dataset)),
    ...(status.unsupported === undefined ? {} : { unsupported: status.unsupported }),
    ...liveUpdatesOf(status, workOffline),
  };
}

/** `live` while push hints are subscribed, `polling` while they are set up and not; nothing offline or without them. */
export function liveUpdatesOf(status: EngineStatus, workOffline: boolean): Pick<SyncStatus, 'liveUpdates'> {
  if (status.push === undefined || status.push === 'off' || workOffline || status.overall === 'offline') return {};
  return { liveUpdates: status.push === 'subscribed' ? 'live' : 'polling' };
}

/** What a sync did, per dataset, as sync.now answers it: the visited ones, then those it found unchanged. */
export function syncReportView(outcome: SyncOutcome): SyncReportView {
  const visited = outcome.datasets.map((result) => ({
    name: result.dataset,
    visited: true,
    pulled: result.pulled,
    pushed: result.pushed,
    conflicts: result.conflicts.length,
    skipped: result.skipped,
    ...(result.remoteReset === null ? {} : { remoteReset: result.remoteReset }),
    ...(result.error === undefined ? {} : { error: result.error }),
  }));
  const unchanged = outcome.unchanged.map((name) => ({ name, visited: false, pulled: 0, pushed: 0, conflicts: 0, skipped: 0 }));
  return { datasets: [...visited, ...unchanged], ...(outcome.error === undefined ? {} : { error: outcome.error }) };
}

export function syncHandlers(store: DatasetStore, control: SyncControl): Pick<Handlers, 'sync.status' | 'sync.now' | 'sync.setWorkOffline'> {
  const view = async () => {
    const { identityId, status } = await control.status();
    return syncStatusView(store, identityId, status);
  };
  return {
    'sync.status': view,
    'sync.now': async ({ dataset }) => {
      const outcome = await control.syncNow(dataset);
      return { ...(await view()), report: syncReportView(outcome) };
    },
    'sync.setWorkOffline': async ({ workOffline }) => {
      await control.setWorkOffline(workOffline);
      return view();
    },
  };
}
