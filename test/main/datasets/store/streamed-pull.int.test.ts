// The store's side of a streamed pull on real SQLite files: the plan of sub-ranges, a page at a time
// in its own transaction, S moving only when every sub-range is merged — and what a crash, a header
// that moved, or a delete made here during the pull do to it.
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { datasetsFileOf } from '../../../../main/datasets/store/open-database';
import { splitRange } from '../../../../main/datasets/store/streamed-pull';
import type { PulledRecord } from '../../../../main/datasets/store/sync-storage';
import { openTestStore, tempProfileDir } from '../../../support/dataset-store';

const ID = 'us-east-1:44444444-4444-4444-8444-444444444444';
const HEADER = { syncCount: 40, generation: 0, deleted: false };

function remote(key: string, value: string | null, syncCount: number): PulledRecord {
  return { key, value, syncCount, deviceLastModified: 1_000, lastModifiedBy: 'device-b' };
}

/** Records k01…k40, key kNN committed at syncCount NN. */
const RECORDS = Array.from({ length: 40 }, (_, index) => remote(`k${String(index + 1).padStart(2, '0')}`, `v${index + 1}`, index + 1));
const inRange = (from: number, to: number) => RECORDS.filter((record) => record.syncCount >= from && record.syncCount <= to);

function counters(profileDir: string, dataset: string) {
  const db = new Database(datasetsFileOf(profileDir), { readonly: true });
  try {
    return db
      .prepare(
        `SELECT d.live_records AS live, d.dirty_records AS dirty, d.last_sync_count AS s,
           (SELECT count(*) FROM records r WHERE r.identity_id = d.identity_id AND r.dataset = d.name AND r.deleted = 0) AS recounted,
           (SELECT count(*) FROM pull_progress p WHERE p.identity_id = d.identity_id AND p.dataset = d.name) AS planRows
         FROM datasets d WHERE d.identity_id = ? AND d.name = ?`,
      )
      .get(ID, dataset) as { live: number; dirty: number; s: number; recounted: number; planRows: number };
  } finally {
    db.close();
  }
}

describe('splitRange', () => {
  test('covers [from, to] in contiguous sub-ranges, never more than there are counts', () => {
    expect(splitRange(1, 40, 4)).toEqual([
      { from: 1, to: 10 },
      { from: 11, to: 20 },
      { from: 21, to: 30 },
      { from: 31, to: 40 },
    ]);
    expect(splitRange(5, 7, 4)).toEqual([
      { from: 5, to: 5 },
      { from: 6, to: 6 },
      { from: 7, to: 7 },
    ]);
    expect(splitRange(3, 3, 4)).toEqual([{ from: 3, to: 3 }]);
    expect(splitRange(1, 10, 0)).toEqual([{ from: 1, to: 10 }]);
  });
});

describe('a streamed pull', () => {
  test('merges page by page; S moves to H only with the last sub-range, and the plan goes', () => {
    const profileDir = tempProfileDir();
    const store = openTestStore({ profileDir });
    const plan = store.syncStorage.beginPull(ID, 'd', HEADER, 4);
    expect(plan).toMatchObject({ kind: 'read', result: { appeared: true } });
    if (plan.kind !== 'read') throw new Error('unreachable');
    expect(plan.ranges).toEqual([
      { from: 1, to: 10, doneThrough: 0 },
      { from: 11, to: 20, doneThrough: 10 },
      { from: 21, to: 30, doneThrough: 20 },
      { from: 31, to: 40, doneThrough: 30 },
    ]);
    for (const range of plan.ranges) {
      const tally = store.syncStorage.applyPulledPage(ID, 'd', HEADER, { rangeFrom: range.from, records: inRange(range.from, range.to), doneThrough: range.to });
      expect(tally).toMatchObject({ taken: 10, ignored: 0 });
      // Records are there at once; S is not.
      expect(store.syncStorage.syncState(ID, 'd')).toMatchObject({ lastSyncCount: 0 });
    }
    expect(store.getDataset(ID, 'd')).toMatchObject({ recordCount: 40, pendingChanges: 0 });
    expect(store.syncStorage.finishPull(ID, 'd', HEADER, 40)).toBe(true);
    expect(store.syncStorage.syncState(ID, 'd')).toMatchObject({ lastSyncCount: 40, syncedGeneration: 0 });
    expect(counters(profileDir, 'd')).toEqual({ live: 40, dirty: 0, s: 40, recounted: 40, planRows: 0 });
    store.close();
  });

  test('cut short, it resumes where each sub-range stopped, and a page read again changes nothing', () => {
    const profileDir = tempProfileDir();
    let store = openTestStore({ profileDir });
    const plan = store.syncStorage.beginPull(ID, 'd', HEADER, 4);
    if (plan.kind !== 'read') throw new Error('expected a plan');
    // Sub-range 1 whole, sub-range 2 through 14 (its page stopped inside commit 15), then the crash.
    store.syncStorage.applyPulledPage(ID, 'd', HEADER, { rangeFrom: 1, records: inRange(1, 10), doneThrough: 10 });
    store.syncStorage.applyPulledPage(ID, 'd', HEADER, { rangeFrom: 11, records: inRange(11, 15), doneThrough: 14 });
    store.close();

    store = openTestStore({ profileDir });
    const resumed = store.syncStorage.beginPull(ID, 'd', HEADER, 4);
    expect(resumed).toMatchObject({ kind: 'read', result: { appeared: false } });
    if (resumed.kind !== 'read') throw new Error('expected a plan');
    expect(resumed.ranges).toEqual([
      { from: 11, to: 20, doneThrough: 14 },
      { from: 21, to: 30, doneThrough: 20 },
      { from: 31, to: 40, doneThrough: 30 },
    ]);
    // Not finished: S stays.
    expect(store.syncStorage.finishPull(ID, 'd', HEADER, 0)).toBe(false);
    expect(store.syncStorage.syncState(ID, 'd')).toMatchObject({ lastSyncCount: 0 });
    // Record 15 comes again with the rest of its sub-range: skipped as already held.
    expect(store.syncStorage.applyPulledPage(ID, 'd', HEADER, { rangeFrom: 11, records: inRange(15, 20), doneThrough: 20 })).toMatchObject({
      taken: 5,
      ignored: 1,
    });
    for (const range of resumed.ranges.slice(1)) {
      store.syncStorage.applyPulledPage(ID, 'd', HEADER, { rangeFrom: range.from, records: inRange(range.from, range.to), doneThrough: range.to });
    }
    expect(store.syncStorage.finishPull(ID, 'd', HEADER, 25)).toBe(true);
    expect(counters(profileDir, 'd')).toEqual({ live: 40, dirty: 0, s: 40, recounted: 40, planRows: 0 });
    expect(store.getRecord(ID, 'd', 'k15')).toMatchObject({ value: 'v15', pending: false });
    store.close();
  });

  test('a header that moved meanwhile starts a new plan over (S, H], keeping what was merged', () => {
    const profileDir = tempProfileDir();
    const store = openTestStore({ profileDir });
    store.syncStorage.beginPull(ID, 'd', HEADER, 4);
    store.syncStorage.applyPulledPage(ID, 'd', HEADER, { rangeFrom: 1, records: inRange(1, 10), doneThrough: 10 });
    const moved = { ...HEADER, syncCount: 48 };
    const plan = store.syncStorage.beginPull(ID, 'd', moved, 2);
    expect(plan).toMatchObject({
      kind: 'read',
      ranges: [
        { from: 1, to: 24, doneThrough: 0 },
        { from: 25, to: 48, doneThrough: 24 },
      ],
    });
    // A page of the old plan arriving late is not taken.
    expect(store.syncStorage.applyPulledPage(ID, 'd', HEADER, { rangeFrom: 11, records: inRange(11, 20), doneThrough: 20 })).toBeUndefined();
    expect(store.getDataset(ID, 'd')).toMatchObject({ recordCount: 10 });
    store.close();
  });

  test('a delete made here during the pull stops it: no later page is taken and S does not move', () => {
    const store = openTestStore();
    store.syncStorage.beginPull(ID, 'd', HEADER, 4);
    store.syncStorage.applyPulledPage(ID, 'd', HEADER, { rangeFrom: 1, records: inRange(1, 10), doneThrough: 10 });
    store.deleteDataset(ID, 'd');
    expect(store.syncStorage.applyPulledPage(ID, 'd', HEADER, { rangeFrom: 11, records: inRange(11, 20), doneThrough: 20 })).toBeUndefined();
    expect(store.syncStorage.finishPull(ID, 'd', HEADER, 10)).toBe(false);
    expect(store.syncStorage.syncState(ID, 'd')).toMatchObject({ lastSyncCount: 0, deletePending: true });
    store.close();
  });

  test('a local write made between pages meets its remote record under the policy, and stays unpushed', () => {
    const store = openTestStore();
    store.syncStorage.beginPull(ID, 'd', HEADER, 1);
    store.syncStorage.applyPulledPage(ID, 'd', HEADER, { rangeFrom: 1, records: inRange(1, 10), doneThrough: 10 });
    store.put(ID, 'd', 'k05', 'mine after the page');
    store.put(ID, 'd', 'k30', 'mine before the page');
    const tally = store.syncStorage.applyPulledPage(ID, 'd', HEADER, { rangeFrom: 1, records: inRange(11, 40), doneThrough: 40 });
    // Manual policy: k30 waits for the user; k05 is based on its pulled count and will be pushed.
    expect(tally).toMatchObject({ conflicts: ['k30'] });
    expect(store.syncStorage.finishPull(ID, 'd', HEADER, 40)).toBe(true);
    expect(store.syncStorage.syncState(ID, 'd')).toMatchObject({ lastSyncCount: 40, pendingRecords: 1, conflicts: 1 });
    store.close();
  });

  test('a header with nothing new, a deleted header, and a generation replaced here settle at once', () => {
    const store = openTestStore();
    expect(store.syncStorage.beginPull(ID, 'gone', { syncCount: 3, generation: 0, deleted: true }, 4)).toMatchObject({ kind: 'settled' });
    store.openOrCreate(ID, 'mine');
    store.put(ID, 'mine', 'a', '1');
    expect(store.syncStorage.beginPull(ID, 'mine', { syncCount: 0, generation: 0, deleted: false }, 4)).toMatchObject({ kind: 'settled' });
    expect(store.getRecord(ID, 'mine', 'a')).toMatchObject({ value: '1', pending: true });
    store.close();
  });

  test('a remote re-create under a synced copy starts the new generation from 0, so a cut-short pull resumes in it', () => {
    const profileDir = tempProfileDir();
    let store = openTestStore({ profileDir });
    store.syncStorage.applyPull(ID, 'd', { header: { syncCount: 5, generation: 0, deleted: false }, records: [remote('old', 'x', 5)] });
    const recreated = { syncCount: 8, generation: 1, deleted: false };
    const plan = store.syncStorage.beginPull(ID, 'd', recreated, 4);
    expect(plan).toMatchObject({ kind: 'read', result: { remoteReset: { kind: 'recreated' } } });
    expect(store.syncStorage.syncState(ID, 'd')).toMatchObject({ lastSyncCount: 0, syncedGeneration: 1, generation: 1 });
    expect(store.getDataset(ID, 'd')).toMatchObject({ recordCount: 0 });
    store.close();

    store = openTestStore({ profileDir });
    const resumed = store.syncStorage.beginPull(ID, 'd', recreated, 4);
    expect(resumed).toMatchObject({ kind: 'read', result: { remoteReset: null } });
    if (resumed.kind !== 'read') throw new Error('expected a plan');
    expect(resumed.ranges.map((range) => [range.from, range.to])).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
    store.close();
  });
});
