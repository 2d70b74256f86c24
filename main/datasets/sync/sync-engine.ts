// The sync engine's runtime: syncs of all datasets (ONE header Query, then only the datasets that
// moved or have local changes) and of one, between the store's SyncStorage and the user's partition
// of the table. What happens to each dataset is sync-dataset.ts (and lifecycle.ts); here is only
// what needs state: one sync per dataset at a time (keyed-lock.ts), overlapping "sync all" requests
// merged (single-flight.ts), and the status (engine-status.ts).
import * as remote from '../../aws/dataset-table';
import { createRepeatLog, silentLogger, type Logger } from '../../platform/log';
import { offline } from '../../platform/network-failure';
import { toAppErrorView } from '../../../shared/errors';
import type { DAMAGED } from '../lifecycle';
import type { SyncStorage } from '../store/sync-storage';
import { backoffOf, type Backoff } from './backoff';
import { ENGINE_COMMIT_BUDGET } from './commit-budget';
import { datasetsToSync } from './datasets-to-sync';
import { createStatusTracker } from './engine-status';
import { exchangeDeviceNames } from './exchange-device-names';
import { createKeyedLock } from './keyed-lock';
import { createSingleFlight } from './single-flight';
import { emptyResult, type DatasetSyncResult, type SyncContext } from './sync-context';
import { syncDataset } from './sync-dataset';
import type { EngineStatus } from './sync-status';

export type { DatasetStatus, DatasetWarning, EngineStatus, UnsupportedDataset } from './sync-status';
export type { DatasetSyncResult } from './sync-context';

export interface SyncReport {
  /** The datasets the sync visited (their header moved, or they had changes here), each with what it did. */
  datasets: DatasetSyncResult[];
  /** The datasets the one header Query found unchanged on both sides: nothing to do. */
  unchanged: string[];
}

export interface SyncEngineOptions {
  storage: SyncStorage;
  table: remote.DatasetTable;
  deviceId: string;
  /** False when the machine is offline or "Work offline" is on: then no request at all. */
  isOnline(): boolean;
  now?: () => number;
  log?: Logger;
  backoff?: Partial<Backoff>;
  /** What one commit may hold (tests lower or raise it); DynamoDB's limits less the headroom by default. */
  commitBudget?: Partial<remote.CommitBudget>;
  /** How many sub-ranges a pull reads side by side (pull-changes.ts's PULL_RANGES by default). */
  pullRanges?: number;
  /** Told when a change this device made has landed (see SyncContext.committed): the push hints. */
  committed?(dataset: string, syncCount: number): void;
}

export interface SyncEngine {
  /** ONE header Query, then only the datasets that moved or have local changes. OFFLINE when offline. */
  syncAll(): Promise<SyncReport>;
  /** One dataset, now (its header by GetItem). */
  syncDataset(dataset: string): Promise<DatasetSyncResult>;
  status(): EngineStatus;
  /** Calls `listener` whenever the status changes; returns the unsubscribe. */
  subscribe(listener: (status: EngineStatus) => void): () => void;
  /** True while any sync of this engine is under way. */
  busy(): boolean;
  /** Waits for every sync under way (for sign-out and shutdown). */
  idle(): Promise<void>;
  close(): void;
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { storage, table } = options;
  const log = (options.log ?? silentLogger).child('sync');
  const backoff = backoffOf(options.backoff);
  const status = createStatusTracker({ storage, identityId: table.identityId, isOnline: options.isOnline, log, now: options.now });
  const locks = createKeyedLock();
  const all = createSingleFlight(runAll);
  const deviceFailures = createRepeatLog(log, { now: options.now });
  let closed = false;
  const ctx: SyncContext = {
    storage,
    table,
    identityId: table.identityId,
    deviceId: options.deviceId,
    now: options.now ?? Date.now,
    log,
    progress: status.progress,
    budget: { ...ENGINE_COMMIT_BUDGET, ...options.commitBudget },
    malformed: status.malformed,
    pullRanges: options.pullRanges,
    committed: options.committed && tellingSafely(options.committed, log),
  };
  const stopped = () => closed || !options.isOnline();

  function syncOne(dataset: string, header: remote.RemoteHeader | null | undefined | typeof DAMAGED): Promise<DatasetSyncResult> {
    return locks.run(dataset, async () => {
      status.started(dataset, storage.syncState(ctx.identityId, dataset)?.pendingRecords ?? 0);
      try {
        const result = await syncDataset(ctx, dataset, header, backoff);
        status.ended(dataset);
        return result;
      } catch (error) {
        status.ended(dataset, error);
        throw error;
      }
    });
  }

  async function runAll(): Promise<SyncReport> {
    if (stopped()) {
      status.publish();
      throw offline();
    }
    const malformed: remote.MalformedItem[] = [];
    let heads: remote.PartitionHeads;
    try {
      heads = await remote.queryHeads(table, (item) => malformed.push(item));
      status.headersRead();
    } catch (error) {
      status.headersRead(error);
      throw error;
    }
    const { headers } = heads;
    // Before any dataset: a conflict this sync finds already shows the other device's latest name.
    await exchangeDeviceNames(ctx, heads, deviceFailures);
    const found = datasetsToSync(headers, storage.listSyncStates(ctx.identityId), malformed);
    status.noteUnsupported(found.unsupported);
    storage.noteSynced(ctx.identityId, found.unchanged);
    const report: SyncReport = { datasets: [], unchanged: found.unchanged };
    for (const { dataset, header } of found.visit) {
      if (stopped()) break;
      report.datasets.push(await syncOne(dataset, header).catch((error: unknown) => emptyResult(dataset, toAppErrorView(error))));
    }
    // A delete done here of a damaged copy leaves that copy to the unsupported list at once.
    status.noteUnsupported(datasetsToSync(headers, storage.listSyncStates(ctx.identityId), malformed).unsupported);
    status.publish();
    return report;
  }

  return {
    syncAll: all.run,
    syncDataset: (dataset) => (stopped() ? Promise.reject(offline()) : syncOne(dataset, undefined)),
    status: status.status,
    subscribe: status.subscribe,
    busy: () => all.busy() || status.syncing(),
    async idle() {
      await Promise.all([...all.pending(), ...locks.pending()].map((each) => each.catch(() => undefined)));
    },
    close() {
      closed = true;
      status.close();
    },
  };
}

/** The commit has landed and is recorded whatever the listener does: its failure is only logged. */
function tellingSafely(committed: (dataset: string, syncCount: number) => void, log: Logger): (dataset: string, syncCount: number) => void {
  return (dataset, syncCount) => {
    try {
      committed(dataset, syncCount);
    } catch (error) {
      log.warn('telling of a landed commit failed', { error });
    }
  };
}
