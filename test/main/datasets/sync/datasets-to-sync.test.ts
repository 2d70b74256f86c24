// The sync's choices that need no network: which datasets a sync visits, and how long it waits.
import { expect, test } from 'vitest';
import type { RemoteHeader } from '../../../../main/aws/dataset-table';
import type { DatasetSyncState } from '../../../../main/datasets/store/sync-storage';
import { backoffDelay } from '../../../../main/datasets/sync/backoff';
import { datasetsToSync } from '../../../../main/datasets/sync/datasets-to-sync';
import { syncStateOf } from '../../../support/sync-state';

const header = (dataset: string, syncCount: number, overrides: Partial<RemoteHeader> = {}): RemoteHeader => ({
  dataset,
  syncCount,
  generation: 0,
  deleted: false,
  recordCount: 0,
  sizeBytes: 0,
  lastModified: 0,
  lastModifiedBy: 'x',
  ...overrides,
});
const state = (name: string, lastSyncCount: number, overrides: Partial<DatasetSyncState> = {}) => syncStateOf(name, { lastSyncCount, ...overrides });

test('a sync visits only datasets whose header moved, that are new on either side, or that have local changes', () => {
  const { visit, unchanged } = datasetsToSync(
    [header('same', 4), header('moved', 5), header('elsewhere', 1), header('deleted-here', 2)],
    [state('same', 4), state('moved', 4), state('mine', 0, { headerPending: true }), state('edited', 7, { pendingRecords: 1 }), state('deleted-here', 2, { deleted: true, deletePending: true })],
  );
  expect(visit.map((each) => each.dataset)).toEqual(['deleted-here', 'edited', 'elsewhere', 'mine', 'moved']);
  expect(visit.find((each) => each.dataset === 'mine')?.header).toBeNull();
  expect(unchanged).toEqual(['same']);
});

test('the wait before retrying a conflicting commit is random, grows with the attempt, and is capped', () => {
  const backoff = { baseMs: 100, maxMs: 1_000 };
  expect(backoffDelay(1, { ...backoff, random: () => 0.999 })).toBe(199);
  expect(backoffDelay(3, { ...backoff, random: () => 0.5 })).toBe(400);
  expect(backoffDelay(10, { ...backoff, random: () => 0.999 })).toBe(999);
  expect(backoffDelay(10, { ...backoff, random: () => 0 })).toBe(0);
});
