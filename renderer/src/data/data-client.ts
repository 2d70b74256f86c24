// The page's one listener to the main process's change events. Each event becomes a change of one
// resource (the datasets, or one dataset's records or conflicts), so that a query reads again only
// when a change concerns what it shows: a remote change to dataset X leaves dataset Y's table alone.
import type { Api } from '../../../shared/ipc-contract';
import { createPendingDeletes, type PendingDeletes } from './pending-deletes';
import type { AppErrorView } from '../../../shared/errors';
import type { Run } from '../common/run';
import { createFileSaver, type SaveOutcome } from '../common/save-file';

export type DataChange =
  /** A dataset appeared, went, or its counts or policy changed (the event names no dataset). */
  | { kind: 'datasets' }
  /**
   * Records of one dataset changed. `counts`: the dataset's summary says its counts moved (a push
   * marks records synced and names no dataset), so its rows' badges may have too.
   */
  | { kind: 'records'; dataset: string; origin: 'local' | 'remote' | 'counts' }
  | { kind: 'conflicts'; dataset: string }
  /** The link to the host came back: events may have been missed, so everything is read again. */
  | { kind: 'everything' };

export interface DataClient {
  run: Run;
  /** Shows an error where errors show (the page's notice), as a failed command would. */
  showError(error: AppErrorView): void;
  /** Saves a file the page made (an export); under Electron, after the person chose where. */
  saveFile(blob: Blob, fileName: string): Promise<SaveOutcome>;
  /** Record deletes waiting out their undo window. */
  deletes: PendingDeletes;
  subscribe(listener: (change: DataChange) => void): () => void;
  /** Tells every query of a change the page itself found out about. */
  publish(change: DataChange): void;
  /** Starts following the host's events; returns the stop. */
  start(): () => void;
}

/** How long a deleted record can be brought back before its delete is sent. */
export const UNDO_WINDOW_MS = 6000;

export function createDataClient(api: Api, run: Run, showError: (error: AppErrorView) => void): DataClient {
  const listeners = new Set<(change: DataChange) => void>();
  const publish = (change: DataChange) => listeners.forEach((listener) => listener(change));
  const deletes = createPendingDeletes({
    windowMs: UNDO_WINDOW_MS,
    remove: async (dataset, key) => (await run('records.remove', { dataset, key })) !== undefined,
  });
  return {
    run,
    showError,
    saveFile: createFileSaver(api),
    deletes,
    publish,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    start() {
      // A sync moves every dataset's last sync, with no datasets event when it changed nothing else.
      let lastSyncedAt: number | null | undefined;
      const stops = [
        api.on('sync.status', (status) => {
          if (status.lastSyncedAt === lastSyncedAt) return;
          lastSyncedAt = status.lastSyncedAt;
          publish({ kind: 'datasets' });
        }),
        api.on('datasets.changed', () => publish({ kind: 'datasets' })),
        api.on('records.changed', ({ dataset, origin }) => publish({ kind: 'records', dataset, origin })),
        api.on('conflicts.changed', ({ dataset }) => publish({ kind: 'conflicts', dataset })),
        // A device's name changed (renamed here, or brought by a sync): rows and conflicts name devices.
        api.on('devices.changed', () => publish({ kind: 'everything' })),
        api.onConnectionChange?.((up) => up && publish({ kind: 'everything' })) ?? (() => undefined),
      ];
      return () => stops.forEach((stop) => stop());
    },
  };
}

/** Whether a change may alter what is shown of `dataset` (its records, their badges, its conflicts). */
export function concernsDatasetContent(dataset: string) {
  return (change: DataChange) => change.kind === 'everything' || ((change.kind === 'records' || change.kind === 'conflicts') && change.dataset === dataset);
}

/** Whether a change may alter `dataset`'s summary (counts, policy, last sync). */
export function concernsDatasetSummary(dataset: string) {
  const content = concernsDatasetContent(dataset);
  return (change: DataChange) => change.kind === 'datasets' || (content(change) && !(change.kind === 'records' && change.origin === 'counts'));
}
