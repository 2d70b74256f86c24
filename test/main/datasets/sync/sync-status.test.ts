// What the status bar shows for each situation of a dataset, and overall.
import { expect, test } from 'vitest';
import type { DatasetSyncState } from '../../../../main/datasets/store/sync-storage';
import { syncStatusOf, type EngineActivity } from '../../../../main/datasets/sync/sync-status';
import { syncStateOf } from '../../../support/sync-state';

const state = (name: string, overrides: Partial<DatasetSyncState> = {}) =>
  syncStateOf(name, { lastSyncCount: 3, recordCount: 1, bytes: 10, lastSyncedAt: 1_000, ...overrides });
const idle: EngineActivity = { online: true, syncing: new Map(), errors: new Map() };
const denied = { code: 'ACCESS_DENIED' as const, message: 'refused' };

test('everything on the remote is synced, with the last sync time', () => {
  expect(syncStatusOf([state('a')], idle)).toEqual({
    overall: 'synced',
    pending: 0,
    conflicts: 0,
    done: 0,
    total: 0,
    pulled: 0,
    datasets: { a: { state: 'synced', lastSyncedAt: 1_000 } },
  });
});

test('local changes are N changes pending; a create or delete not yet pushed counts as one', () => {
  const status = syncStatusOf([state('a', { pendingRecords: 2 }), state('b', { headerPending: true }), state('c', { deleted: true, deletePending: true })], idle);
  expect(status).toMatchObject({ overall: 'pending', pending: 4, datasets: { a: { state: 'pending', pending: 2 }, b: { pending: 1 }, c: { pending: 1 } } });
});

test('offline, a dataset with changes says offline with its count; one without stays synced', () => {
  const status = syncStatusOf([state('a', { pendingRecords: 1 }), state('b')], { ...idle, online: false });
  expect(status).toMatchObject({ overall: 'offline', pending: 1, datasets: { a: { state: 'offline', pending: 1 }, b: { state: 'synced' } } });
});

test('while syncing, records sent of those to send, and records received apart, over every dataset being synced', () => {
  const syncing = new Map([['a', { done: 3, total: 10, pulled: 7 }], ['b', { done: 1, total: 2, pulled: 0 }]]);
  expect(syncStatusOf([state('a'), state('b'), state('c')], { ...idle, syncing })).toMatchObject({
    overall: 'syncing',
    done: 4,
    total: 12,
    pulled: 7,
    datasets: { a: { state: 'syncing', done: 3, total: 10, pulled: 7 }, c: { state: 'synced' } },
  });
});

test('conflicts are counted; an error of one dataset or of the header Query shows as error with its code', () => {
  expect(syncStatusOf([state('a', { conflicts: 2 })], idle)).toMatchObject({ overall: 'conflicts', conflicts: 2, datasets: { a: { state: 'conflicts', conflicts: 2 } } });
  expect(syncStatusOf([state('a'), state('b')], { ...idle, errors: new Map([['b', denied]]) })).toMatchObject({
    overall: 'error',
    error: denied,
    datasets: { a: { state: 'synced' }, b: { state: 'error', error: denied } },
  });
  expect(syncStatusOf([state('a')], { ...idle, overallError: denied })).toMatchObject({ overall: 'error', error: denied });
});

test('a dataset deleted here and on the remote is no longer listed', () => {
  expect(syncStatusOf([state('gone', { deleted: true })], idle).datasets).toEqual({});
});

test('a dataset named __proto__ or constructor is listed like any other (the map has no prototype to hit)', () => {
  const status = syncStatusOf([state('__proto__', { pendingRecords: 1 }), state('constructor'), state('toString')], idle);
  expect(Object.keys(status.datasets)).toEqual(['__proto__', 'constructor', 'toString']);
  expect(status.datasets['__proto__']).toEqual({ state: 'pending', pending: 1 });
  expect(status.datasets['toString']).toEqual({ state: 'synced', lastSyncedAt: 1_000 });
  expect(status.pending).toBe(1);
});

test('skipped remote items show as a warning on their dataset; unsupported remote datasets are listed', () => {
  const warning = { skippedItems: 2, message: '2 items were skipped' };
  const status = syncStatusOf([state('a'), state('b')], { ...idle, warnings: new Map([['a', warning]]), unsupported: [{ name: 'bad name', reason: 'name' }] });
  expect(status.datasets).toEqual({ a: { state: 'synced', lastSyncedAt: 1_000, warning }, b: { state: 'synced', lastSyncedAt: 1_000 } });
  expect(status.unsupported).toEqual([{ name: 'bad name', reason: 'name' }]);
  expect(status.overall).toBe('synced');
});
