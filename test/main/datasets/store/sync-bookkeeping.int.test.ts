// The store's side of docs/sync-protocol.md on real SQLite files: what a push takes, what a commit or a
// pull records, delete/recreate with generations — and that no local write is cleaned or dropped
// unless the remote holds it or the user's policy says so.
import { describe, expect, test } from 'vitest';
import type { OpenedDatasetStore } from '../../../../main/datasets/store/dataset-store';
import type { PulledRecord } from '../../../../main/datasets/store/sync-storage';
import { openTestStore, tempProfileDir, testClock } from '../../../support/dataset-store';

const ID = 'us-east-1:33333333-3333-4333-8333-333333333333';

function remote(key: string, value: string | null, syncCount: number, fields: Partial<PulledRecord> = {}): PulledRecord {
  return { key, value, syncCount, deviceLastModified: 1_000, lastModifiedBy: 'device-b', ...fields };
}

/** Pushes every pending record the way the sync engine does, pretending each commit lands. */
function pushAll(store: OpenedDatasetStore, dataset: string, options: { maxRecords?: number; maxBytes?: number } = {}): number[] {
  const sizes: number[] = [];
  for (;;) {
    const batch = store.syncStorage.pendingChanges(ID, dataset, options)!;
    if (batch.records.length === 0) return sizes;
    sizes.push(batch.records.length);
    store.syncStorage.markCommitted(ID, dataset, batch.state.lastSyncCount + 1, batch.state.generation, batch.records);
  }
}

function values(store: OpenedDatasetStore, dataset: string): Record<string, string> {
  return Object.fromEntries(store.listRecords(ID, dataset, { limit: 1000 }).records.map((r) => [r.key, r.value]));
}

describe('push', () => {
  test('a write made while its push is in flight stays dirty; the others become clean', () => {
    const store = openTestStore();
    store.openOrCreate(ID, 'd');
    store.put(ID, 'd', 'a', 'a1');
    store.put(ID, 'd', 'b', 'b1');
    const batch = store.syncStorage.pendingChanges(ID, 'd')!;
    expect(batch.state).toMatchObject({ lastSyncCount: 0, generation: 0, headerPending: true, pendingRecords: 2 });

    store.put(ID, 'd', 'a', 'a2');
    expect(store.syncStorage.markCommitted(ID, 'd', 1, 0, batch.records)).toEqual({ cleaned: 1, stillDirty: 1 });

    const next = store.syncStorage.pendingChanges(ID, 'd')!;
    expect(next.records.map((r) => [r.key, r.value])).toEqual([['a', 'a2']]);
    expect(next.state).toMatchObject({ lastSyncCount: 1, headerPending: false, pendingRecords: 1 });
    expect(store.getRecord(ID, 'd', 'b')).toMatchObject({ pending: false });
    store.close();
  });

  test('a removal made during the push, and a put of the same value after a removal, stay dirty', () => {
    const store = openTestStore();
    store.openOrCreate(ID, 'd');
    store.put(ID, 'd', 'k', 'v');
    const batch = store.syncStorage.pendingChanges(ID, 'd')!;
    store.remove(ID, 'd', 'k');
    store.put(ID, 'd', 'k', 'v');
    store.syncStorage.markCommitted(ID, 'd', 1, 0, batch.records);
    expect(store.getRecord(ID, 'd', 'k')).toMatchObject({ value: 'v', pending: true });
    store.close();
  });

  test('commits hold at most 99 records and the byte budget, and every record is pushed once', () => {
    const store = openTestStore();
    store.openOrCreate(ID, 'many');
    for (let index = 0; index < 250; index += 1) store.put(ID, 'many', `k${String(index).padStart(3, '0')}`, 'v');
    expect(pushAll(store, 'many')).toEqual([99, 99, 52]);

    store.openOrCreate(ID, 'large');
    const hundredKiB = 'x'.repeat(100 * 1024);
    for (let index = 0; index < 90; index += 1) store.put(ID, 'large', `k${index}`, hundredKiB);
    const sizes = pushAll(store, 'large', { maxBytes: 4 * 1024 * 1024 });
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(90);
    expect(Math.max(...sizes)).toBe(40);
    expect(store.syncStorage.syncState(ID, 'large')).toMatchObject({ lastSyncCount: sizes.length, pendingRecords: 0 });

    // A record bigger than the budget still goes, alone.
    store.put(ID, 'large', 'k0', `${hundredKiB}!`);
    expect(store.syncStorage.pendingChanges(ID, 'large', { maxBytes: 1000 })?.records).toHaveLength(1);
    store.close();
  });

  test('a removal is pushed as a tombstone', () => {
    const store = openTestStore();
    store.openOrCreate(ID, 'd');
    store.put(ID, 'd', 'k', 'v');
    pushAll(store, 'd');
    store.remove(ID, 'd', 'k');
    expect(store.syncStorage.pendingChanges(ID, 'd')?.records).toMatchObject([{ key: 'k', value: null }]);
    store.close();
  });
});

describe('a crash between a commit and its bookkeeping loses nothing', () => {
  test('the pull brings the commit back: equal values become clean, later writes stay dirty without a conflict', () => {
    const profileDir = tempProfileDir('crash');
    const before = openTestStore({ profileDir, deviceId: 'device-a' });
    before.openOrCreate(ID, 'd');
    before.put(ID, 'd', 'same', 'pushed');
    before.put(ID, 'd', 'edited', 'pushed');
    const batch = before.syncStorage.pendingChanges(ID, 'd')!;
    // The commit lands at syncCount 1; the process dies before markCommitted.
    before.close();

    const after = openTestStore({ profileDir, deviceId: 'device-a' });
    after.put(ID, 'd', 'edited', 'after the restart');
    const result = after.syncStorage.applyPull(ID, 'd', {
      header: { syncCount: 1, generation: 0, deleted: false },
      records: batch.records.map((r) => remote(r.key, r.value, 1, { lastModifiedBy: 'device-a', deviceLastModified: r.deviceLastModified })),
    });
    expect(result).toMatchObject({ taken: 1, keptLocal: 1, conflicts: [] });
    expect(after.syncStorage.pendingChanges(ID, 'd')?.records.map((r) => [r.key, r.value])).toEqual([['edited', 'after the restart']]);
    expect(after.syncStorage.syncState(ID, 'd')?.lastSyncCount).toBe(1);
    after.close();
  });

  test('a pull is one transaction: if it fails half-way nothing of it is applied', () => {
    const store = openTestStore();
    store.openOrCreate(ID, 'd');
    store.put(ID, 'd', 'mine', 'local');
    const broken = { key: null, value: 'x', syncCount: 1, deviceLastModified: 1, lastModifiedBy: 'device-b' } as unknown as PulledRecord;
    expect(() =>
      store.syncStorage.applyPull(ID, 'd', { header: { syncCount: 1, generation: 0, deleted: false }, records: [remote('first', 'taken?', 1), broken] }),
    ).toThrow();
    expect(store.getRecord(ID, 'd', 'first')).toBeUndefined();
    expect(store.syncStorage.syncState(ID, 'd')?.lastSyncCount).toBe(0);
    expect(store.getRecord(ID, 'd', 'mine')).toMatchObject({ value: 'local', pending: true });
    store.close();
  });
});

describe('pull', () => {
  test('a dataset created on another device appears, with its records clean', () => {
    const store = openTestStore();
    const result = store.syncStorage.applyPull(ID, 'from-b', {
      header: { syncCount: 2, generation: 0, deleted: false },
      records: [remote('x', '1', 1), remote('y', '2', 2), remote('gone', null, 2)],
    });
    expect(result).toMatchObject({ appeared: true, taken: 3 });
    expect(values(store, 'from-b')).toEqual({ x: '1', y: '2' });
    expect(store.syncStorage.syncState(ID, 'from-b')).toMatchObject({ lastSyncCount: 2, headerPending: false, pendingRecords: 0 });
    expect(store.unsyncedChanges(ID).total).toBe(0);
    store.close();
  });

  test('a dataset created here before it was ever synced joins the remote one of that name; no reset is reported', () => {
    const store = openTestStore();
    store.openOrCreate(ID, 'both');
    store.put(ID, 'both', 'mine', 'here');
    const result = store.syncStorage.applyPull(ID, 'both', { header: { syncCount: 7, generation: 2, deleted: false }, records: [remote('theirs', 'there', 7)] });
    expect(result.remoteReset).toBeNull();
    expect(values(store, 'both')).toEqual({ mine: 'here', theirs: 'there' });
    expect(store.syncStorage.syncState(ID, 'both')).toMatchObject({ generation: 2, lastSyncCount: 7, headerPending: true, pendingRecords: 1 });

    store.openOrCreate(ID, 'was-deleted');
    const deleted = store.syncStorage.applyPull(ID, 'was-deleted', { header: { syncCount: 4, generation: 1, deleted: true }, records: [] });
    expect(deleted.remoteReset).toBeNull();
    expect(store.syncStorage.syncState(ID, 'was-deleted')).toMatchObject({ deleted: false, generation: 2, headerPending: true });
    store.close();
  });

  test('under lastWriterWins replicas whose clocks disagree still end on the greatest (time, device) write', () => {
    // device-a holds a clean value written at a time device-b's clock has not reached yet; device-b
    // pulled it, overwrote it at its own (earlier) time and committed.
    const store = openTestStore({ deviceId: 'device-a' });
    store.syncStorage.applyPull(ID, 'lww', { header: { syncCount: 1, generation: 0, deleted: false }, records: [remote('k', 'written at 9000', 1, { deviceLastModified: 9_000, lastModifiedBy: 'device-c' })] });
    store.setConflictPolicy(ID, 'lww', 'lastWriterWins');
    store.syncStorage.applyPull(ID, 'lww', { header: { syncCount: 2, generation: 0, deleted: false }, records: [remote('k', 'written at 5000', 2, { deviceLastModified: 5_000 })] });
    expect(store.getRecord(ID, 'lww', 'k')).toMatchObject({ value: 'written at 9000', pending: true });
    expect(store.syncStorage.pendingChanges(ID, 'lww')?.records).toMatchObject([{ key: 'k', value: 'written at 9000', deviceLastModified: 9_000 }]);
    store.close();
  });

  test('a replayed pull changes nothing', () => {
    const store = openTestStore();
    const pull = { header: { syncCount: 1, generation: 0, deleted: false }, records: [remote('x', '1', 1)] };
    store.syncStorage.applyPull(ID, 'd', pull);
    store.put(ID, 'd', 'x', 'mine');
    expect(store.syncStorage.applyPull(ID, 'd', pull)).toMatchObject({ ignored: 1, conflicts: [] });
    expect(store.getRecord(ID, 'd', 'x')).toMatchObject({ value: 'mine', pending: true });
    store.close();
  });

  test('under lastWriterWins the greater (device time, device ID) wins whichever side it is on', () => {
    const clock = testClock(5_000);
    const store = openTestStore({ now: clock.now, deviceId: 'device-a' });
    store.openOrCreate(ID, 'lww');
    store.setConflictPolicy(ID, 'lww', 'lastWriterWins');
    store.put(ID, 'lww', 'older-here', 'mine');
    store.put(ID, 'lww', 'newer-here', 'mine');
    pushAll(store, 'lww');
    clock.set(10_000);
    store.put(ID, 'lww', 'older-here', 'mine-2');
    store.put(ID, 'lww', 'newer-here', 'mine-2');
    store.syncStorage.applyPull(ID, 'lww', {
      header: { syncCount: 2, generation: 0, deleted: false },
      records: [
        remote('older-here', 'theirs', 2, { deviceLastModified: 20_000 }),
        remote('newer-here', 'theirs', 2, { deviceLastModified: 9_000 }),
      ],
    });
    expect(values(store, 'lww')).toEqual({ 'older-here': 'theirs', 'newer-here': 'mine-2' });
    expect(store.syncStorage.pendingChanges(ID, 'lww')?.records.map((r) => r.key)).toEqual(['newer-here']);
    store.close();
  });

  test('under local the remote change is overwritten by the next push', () => {
    const store = openTestStore();
    store.openOrCreate(ID, 'd');
    store.setConflictPolicy(ID, 'd', 'local');
    store.put(ID, 'd', 'k', 'mine');
    const result = store.syncStorage.applyPull(ID, 'd', { header: { syncCount: 3, generation: 0, deleted: false }, records: [remote('k', 'theirs', 3)] });
    expect(result).toMatchObject({ keptLocal: 1, resolvedByPolicy: 1 });
    const batch = store.syncStorage.pendingChanges(ID, 'd')!;
    expect(batch.records.map((r) => r.value)).toEqual(['mine']);
    expect(batch.state.lastSyncCount).toBe(3);
    store.close();
  });

  test('a conflict parked under manual is updated by a newer remote change, and settled if they agree', () => {
    const store = openTestStore();
    store.openOrCreate(ID, 'd');
    store.put(ID, 'd', 'k', 'mine');
    store.syncStorage.applyPull(ID, 'd', { header: { syncCount: 1, generation: 0, deleted: false }, records: [remote('k', 'theirs-1', 1)] });
    store.syncStorage.applyPull(ID, 'd', { header: { syncCount: 2, generation: 0, deleted: false }, records: [remote('k', 'theirs-2', 2)] });
    expect(store.listConflicts(ID, 'd').map((c) => c.theirs.value)).toEqual(['theirs-2']);
    store.syncStorage.applyPull(ID, 'd', { header: { syncCount: 3, generation: 0, deleted: false }, records: [remote('k', 'mine', 3)] });
    expect(store.listConflicts(ID, 'd')).toEqual([]);
    expect(store.getRecord(ID, 'd', 'k')).toMatchObject({ value: 'mine', pending: false });
    store.close();
  });

  test('a commit that lands over a parked conflict settles it: the remote now holds my value', () => {
    const store = openTestStore();
    store.openOrCreate(ID, 'd');
    store.put(ID, 'd', 'k', 'mine');
    const batch = store.syncStorage.pendingChanges(ID, 'd')!;
    store.syncStorage.applyPull(ID, 'd', { header: { syncCount: 1, generation: 0, deleted: false }, records: [remote('k', 'theirs', 1)] });
    store.syncStorage.markCommitted(ID, 'd', 2, 0, batch.records);
    expect(store.listConflicts(ID)).toEqual([]);
    expect(store.getRecord(ID, 'd', 'k')).toMatchObject({ value: 'mine', pending: false });
    store.close();
  });
});

describe('delete and recreate', () => {
  function synced(records: Record<string, string> = { a: '1', b: '2' }): OpenedDatasetStore {
    const store = openTestStore();
    store.openOrCreate(ID, 'd');
    for (const [key, value] of Object.entries(records)) store.put(ID, 'd', key, value);
    pushAll(store, 'd');
    return store;
  }

  test('a local delete waits to be pushed, ignores remote changes meanwhile, and is done once pushed', () => {
    const store = synced();
    store.deleteDataset(ID, 'd');
    expect(store.syncStorage.syncState(ID, 'd')).toMatchObject({ deleted: true, deletePending: true, lastSyncCount: 1 });
    const result = store.syncStorage.applyPull(ID, 'd', { header: { syncCount: 2, generation: 0, deleted: false }, records: [remote('a', 'changed', 2)] });
    expect(result).toMatchObject({ ignored: 1, taken: 0 });
    expect(store.listDatasets(ID)).toEqual([]);
    expect(store.syncStorage.syncState(ID, 'd')).toMatchObject({ deletePending: true, lastSyncCount: 2 });

    store.syncStorage.markDeletePushed(ID, 'd', 3, 0);
    expect(store.syncStorage.syncState(ID, 'd')).toMatchObject({ deleted: true, deletePending: false, lastSyncCount: 3, syncedGeneration: 0 });
    expect(store.syncStorage.listSyncStates(ID).map((s) => s.name)).toEqual(['d']);
    expect(store.unsyncedChanges(ID).total).toBe(0);
    store.close();
  });

  test('deleted and re-created here before the push: the push writes a new generation and old records never return', () => {
    const store = synced();
    store.deleteDataset(ID, 'd');
    store.openOrCreate(ID, 'd');
    store.put(ID, 'd', 'fresh', 'new');
    expect(store.syncStorage.syncState(ID, 'd')).toMatchObject({ generation: 1, headerPending: true, deleted: false, lastSyncCount: 1 });
    // The remote still has generation 0: its records are what the new generation replaces.
    const result = store.syncStorage.applyPull(ID, 'd', { header: { syncCount: 2, generation: 0, deleted: false }, records: [remote('a', 'old', 2)] });
    expect(result.ignored).toBe(1);
    expect(values(store, 'd')).toEqual({ fresh: 'new' });
    pushAll(store, 'd');
    expect(store.syncStorage.syncState(ID, 'd')).toMatchObject({ generation: 1, headerPending: false, pendingRecords: 0, lastSyncCount: 3 });
    store.close();
  });

  test('a delete and re-create during a push: the commit moves S but cleans nothing and the recreate still goes', () => {
    const store = synced();
    store.put(ID, 'd', 'a', 'edit');
    const batch = store.syncStorage.pendingChanges(ID, 'd')!;
    store.deleteDataset(ID, 'd');
    store.openOrCreate(ID, 'd');
    store.put(ID, 'd', 'a', 'edit');
    expect(store.syncStorage.markCommitted(ID, 'd', 2, 0, batch.records)).toEqual({ cleaned: 0, stillDirty: 1 });
    expect(store.syncStorage.syncState(ID, 'd')).toMatchObject({ lastSyncCount: 2, generation: 1, headerPending: true, pendingRecords: 1 });
    store.close();
  });

  test('deleted remotely, nothing changed here: the copy is dropped', () => {
    const store = synced();
    const result = store.syncStorage.applyPull(ID, 'd', { header: { syncCount: 2, generation: 0, deleted: true }, records: [] });
    expect(result.remoteReset).toEqual({ kind: 'deleted', keptDirty: 0, discardedDirty: 0 });
    expect(store.listDatasets(ID)).toEqual([]);
    expect(store.syncStorage.syncState(ID, 'd')).toMatchObject({ deleted: true, deletePending: false, lastSyncCount: 2 });
    store.close();
  });

  test('deleted remotely with changes here: they are kept and re-create the dataset, nothing else comes back', () => {
    const store = synced({ a: '1', b: '2', c: '3' });
    store.put(ID, 'd', 'a', 'edited here');
    store.remove(ID, 'd', 'b');
    const result = store.syncStorage.applyPull(ID, 'd', { header: { syncCount: 2, generation: 0, deleted: true }, records: [] });
    expect(result.remoteReset).toEqual({ kind: 'deleted', keptDirty: 1, discardedDirty: 1 });
    expect(values(store, 'd')).toEqual({ a: 'edited here' });
    expect(store.syncStorage.syncState(ID, 'd')).toMatchObject({ deleted: false, generation: 1, headerPending: true, lastSyncCount: 2 });
    const batch = store.syncStorage.pendingChanges(ID, 'd')!;
    expect(batch.records.map((r) => r.key)).toEqual(['a']);
    store.close();
  });

  test('deleted remotely under the remote policy: changes here give way, and the result says how many', () => {
    const store = synced();
    store.setConflictPolicy(ID, 'd', 'remote');
    store.put(ID, 'd', 'a', 'edited here');
    const result = store.syncStorage.applyPull(ID, 'd', { header: { syncCount: 2, generation: 0, deleted: true }, records: [] });
    expect(result.remoteReset).toEqual({ kind: 'deleted', keptDirty: 0, discardedDirty: 1 });
    expect(store.listDatasets(ID)).toEqual([]);
    store.close();
  });

  test('re-created remotely: the old generation is dropped and the new records taken', () => {
    const store = synced({ a: '1', b: '2' });
    const result = store.syncStorage.applyPull(ID, 'd', {
      header: { syncCount: 4, generation: 1, deleted: false },
      records: [remote('n', 'new', 4)],
    });
    expect(result.remoteReset).toEqual({ kind: 'recreated', keptDirty: 0, discardedDirty: 0 });
    expect(values(store, 'd')).toEqual({ n: 'new' });
    expect(store.syncStorage.syncState(ID, 'd')).toMatchObject({ generation: 1, lastSyncCount: 4, headerPending: false });
    store.close();
  });

  test('re-created remotely with changes here: they join the new generation and meet its records by policy', () => {
    const store = synced({ a: '1', b: '2' });
    store.put(ID, 'd', 'a', 'mine');
    store.put(ID, 'd', 'z', 'only mine');
    const result = store.syncStorage.applyPull(ID, 'd', {
      header: { syncCount: 4, generation: 1, deleted: false },
      records: [remote('a', 'theirs', 4), remote('n', 'new', 4)],
    });
    expect(result.remoteReset).toEqual({ kind: 'recreated', keptDirty: 2, discardedDirty: 0 });
    expect(result.conflicts).toEqual(['a']);
    expect(values(store, 'd')).toEqual({ a: 'mine', n: 'new', z: 'only mine' });
    expect(store.syncStorage.pendingChanges(ID, 'd')?.records.map((r) => r.key)).toEqual(['z']);
    store.close();
  });

  test('dropped after a remote delete, then re-created on another device: it comes back with the new records only', () => {
    const store = synced();
    store.syncStorage.applyPull(ID, 'd', { header: { syncCount: 2, generation: 0, deleted: true }, records: [] });
    const result = store.syncStorage.applyPull(ID, 'd', { header: { syncCount: 3, generation: 1, deleted: false }, records: [remote('n', 'new', 3)] });
    expect(result.appeared).toBe(true);
    expect(values(store, 'd')).toEqual({ n: 'new' });
    store.close();
  });

  test('a delete header of a dataset this copy never had is remembered, not listed', () => {
    const store = openTestStore();
    store.syncStorage.applyPull(ID, 'gone', { header: { syncCount: 5, generation: 2, deleted: true }, records: [] });
    expect(store.listDatasets(ID)).toEqual([]);
    expect(store.syncStorage.syncState(ID, 'gone')).toMatchObject({ deleted: true, deletePending: false, lastSyncCount: 5, generation: 2 });
    // Creating it here starts a generation after the remote's.
    store.openOrCreate(ID, 'gone');
    expect(store.syncStorage.syncState(ID, 'gone')).toMatchObject({ generation: 3, headerPending: true });
    store.close();
  });
});

test('a sync that found nothing new moves only the last-synced time', () => {
  const clock = testClock(50_000);
  const store = openTestStore({ now: clock.now });
  store.openOrCreate(ID, 'd');
  store.put(ID, 'd', 'k', 'v');
  clock.set(90_000);
  store.syncStorage.noteSynced(ID, ['d']);
  // The record and the create, neither pushed.
  expect(store.getDataset(ID, 'd')).toMatchObject({ lastSyncedAt: 90_000, pendingChanges: 2 });
  store.close();
});
