// A dataset's life, one test per row of lifecycle.ts's two tables: what a sync attempt does with a
// copy and the remote header, and what a pulled header does to the copy.
import { describe, expect, test } from 'vitest';
import {
  DAMAGED,
  decideAttempt,
  recordsToPull,
  settlePulledHeader,
  type LocalLife,
  type LocalRow,
  type RemoteLife,
} from '../../../main/datasets/lifecycle';

/** A copy synced at S = 3 of generation 0, clean. */
const copy = (overrides: Partial<LocalLife> = {}): LocalLife => ({
  lastSyncCount: 3,
  syncedGeneration: 0,
  generation: 0,
  deleted: false,
  deletePending: false,
  headerPending: false,
  pendingRecords: 0,
  ...overrides,
});
const header = (syncCount: number, overrides: Partial<RemoteLife> = {}): RemoteLife => ({ syncCount, generation: 0, deleted: false, ...overrides });
const deletedHere = (overrides: Partial<LocalLife> = {}) => copy({ deleted: true, deletePending: true, ...overrides });

describe('a sync attempt', () => {
  test('damagedDeleteSettlesHere: a delete made here of a copy whose remote header is damaged is done here only', () => {
    expect(decideAttempt(deletedHere(), DAMAGED)).toEqual({ row: 'damagedDeleteSettlesHere', steps: ['settleDeleteLocally'] });
  });

  test('damagedLeftAlone: anything else with a damaged header reads and writes nothing there', () => {
    expect(decideAttempt(copy({ pendingRecords: 2 }), DAMAGED)).toEqual({ row: 'damagedLeftAlone', steps: ['leaveDamagedAlone'] });
  });

  test('deleteNothingRemoteToDelete: a delete of a copy that never saw the remote (S = 0) is settled before the pull, so what others created arrives now', () => {
    const decision = decideAttempt(deletedHere({ lastSyncCount: 0 }), header(2));
    expect(decision).toEqual({ row: 'deleteNothingRemoteToDelete', steps: ['settleDeleteLocally', 'pullIfMoved', 'push'] });
    // The same when the remote was deleted, re-created in a generation this copy never saw, or is gone.
    expect(decideAttempt(deletedHere(), header(4, { deleted: true })).row).toBe('deleteNothingRemoteToDelete');
    expect(decideAttempt(deletedHere(), header(4, { generation: 1 })).row).toBe('deleteNothingRemoteToDelete');
    expect(decideAttempt(deletedHere(), undefined).row).toBe('deleteNothingRemoteToDelete');
  });

  test('deleteReachesRemote: a delete of the generation S counts in is pushed, without a pull — compared with the synced generation, not the local one', () => {
    expect(decideAttempt(deletedHere(), header(5))).toEqual({ row: 'deleteReachesRemote', steps: ['pushDelete'] });
    // Deleted, re-created and deleted again here after a sync: the local generation moved ahead, S did not.
    expect(decideAttempt(deletedHere({ generation: 2, syncedGeneration: 0 }), header(5)).row).toBe('deleteReachesRemote');
  });

  test('recreatedHereKeepsConcurrent: re-created here while others committed unseen records: they are carried into the new generation first', () => {
    const recreated = copy({ generation: 1, headerPending: true });
    expect(decideAttempt(recreated, header(5))).toEqual({ row: 'recreatedHereKeepsConcurrent', steps: ['recreateKeepingConcurrent', 'pullIfMoved', 'push'] });
    // Nothing unseen: a plain push of the new generation.
    expect(decideAttempt(recreated, header(3)).row).toBe('localChangesOnly');
  });

  test('lostRemoteStartsOver: the table has no header for a copy synced before: it is committed again from syncCount 0', () => {
    expect(decideAttempt(copy(), undefined)).toEqual({ row: 'lostRemoteStartsOver', steps: ['forgetLostRemote', 'push'] });
    // A copy deleted here stays deleted; a copy never synced is simply created.
    expect(decideAttempt(copy({ deleted: true }), undefined).row).toBe('localChangesOnly');
    expect(decideAttempt(copy({ lastSyncCount: 0, headerPending: true }), undefined).row).toBe('localChangesOnly');
  });

  test('remoteMoved: the header moved (or the dataset is new here): pull, then push', () => {
    expect(decideAttempt(copy(), header(4))).toEqual({ row: 'remoteMoved', steps: ['pull', 'push'] });
    expect(decideAttempt(undefined, header(1)).row).toBe('remoteMoved');
  });

  test('localChangesOnly: the header did not move: only what is dirty here is pushed', () => {
    expect(decideAttempt(copy({ pendingRecords: 1 }), header(3))).toEqual({ row: 'localChangesOnly', steps: ['push'] });
  });
});

describe('what a pull reads', () => {
  test('after S in the generation S counts in; all of a generation this copy never saw; nothing for a delete or a newer generation here', () => {
    expect(recordsToPull(copy(), header(5))).toEqual({ after: 3 });
    expect(recordsToPull(copy(), header(5, { generation: 1 }))).toEqual({ after: 0 });
    expect(recordsToPull(copy({ deleted: true }), header(5))).toEqual({ after: 0 });
    expect(recordsToPull(copy(), header(5, { deleted: true }))).toBeUndefined();
    expect(recordsToPull(deletedHere(), header(5))).toBeUndefined();
    expect(recordsToPull(copy({ generation: 1, headerPending: true }), header(5))).toBeUndefined();
  });
});

/** The row of a copy synced at S = 3 of generation 0, clean. */
const row = (overrides: Partial<LocalRow> = {}): LocalRow => ({
  deleted: false,
  headerDirty: false,
  generation: 0,
  lastSyncCount: 3,
  dirtyRecords: 0,
  remotePolicy: false,
  ...overrides,
});

describe('a pulled header', () => {
  test('deletedOnBothSides: deleted here and there: the copy stays deleted, nothing left to push', () => {
    expect(settlePulledHeader(row({ deleted: true, headerDirty: true }), header(5, { deleted: true }))).toEqual({
      row: 'deletedOnBothSides',
      set: { generation: 0, deleted: true, headerDirty: false },
      merge: false,
    });
  });

  test('deletePendingWaits: a delete waiting here replaces whatever the remote holds: no record merges', () => {
    expect(settlePulledHeader(row({ deleted: true, headerDirty: true }), header(5, { generation: 1 }))).toEqual({
      row: 'deletePendingWaits',
      set: { generation: 1, deleted: true, headerDirty: true },
      merge: false,
    });
  });

  test('comesBackFromRemote: deleted here (pushed) and live there: it comes back with that generation', () => {
    expect(settlePulledHeader(row({ deleted: true }), header(5, { generation: 1 }))).toEqual({
      row: 'comesBackFromRemote',
      set: { generation: 1, deleted: false, headerDirty: false },
      appeared: true,
      merge: true,
    });
  });

  test('recreatedHereNewer: re-created here in a newer generation: the remote records do not merge', () => {
    expect(settlePulledHeader(row({ generation: 2, headerDirty: true }), header(5, { generation: 1 }))).toEqual({ row: 'recreatedHereNewer', merge: false });
  });

  test('sameGeneration: the records merge, the dataset row stays', () => {
    expect(settlePulledHeader(row(), header(5))).toEqual({ row: 'sameGeneration', merge: true });
  });

  test('neverSyncedMeetsDelete: created here before ever syncing, deleted there: it starts the next generation', () => {
    expect(settlePulledHeader(row({ lastSyncCount: 0, headerDirty: true }), header(5, { deleted: true }))).toEqual({
      row: 'neverSyncedMeetsDelete',
      set: { generation: 1, deleted: false, headerDirty: true },
      merge: false,
    });
  });

  test('neverSyncedJoinsRemote: created here before ever syncing, live there: it joins that generation, not a reset', () => {
    expect(settlePulledHeader(row({ lastSyncCount: 0, headerDirty: true }), header(5, { generation: 2 }))).toEqual({
      row: 'neverSyncedJoinsRemote',
      set: { generation: 2, deleted: false, headerDirty: true },
      merge: true,
    });
  });

  test('remoteResetDropsCopy: deleted or re-created there, nothing to keep here (or the remote policy): the copy goes', () => {
    expect(settlePulledHeader(row(), header(5, { deleted: true }))).toEqual({
      row: 'remoteResetDropsCopy',
      set: { generation: 0, deleted: true, headerDirty: false },
      records: 'dropAll',
      reset: 'deleted',
      merge: false,
    });
    expect(settlePulledHeader(row({ dirtyRecords: 2, remotePolicy: true }), header(5, { generation: 1 }))).toMatchObject({ row: 'remoteResetDropsCopy', reset: 'recreated', merge: true });
  });

  test('remoteDeleteKeepsDirty: deleted there with changes here: they are kept and re-create the dataset', () => {
    expect(settlePulledHeader(row({ dirtyRecords: 1 }), header(5, { deleted: true }))).toEqual({
      row: 'remoteDeleteKeepsDirty',
      set: { generation: 1, deleted: false, headerDirty: true },
      records: 'keepDirtyValues',
      reset: 'deleted',
      merge: false,
    });
  });

  test('remoteRecreateKeepsDirty: re-created there with changes here: they are kept in the new generation, whose records merge', () => {
    expect(settlePulledHeader(row({ dirtyRecords: 1 }), header(5, { generation: 1 }))).toEqual({
      row: 'remoteRecreateKeepsDirty',
      set: { generation: 1, deleted: false, headerDirty: false },
      records: 'keepDirtyValues',
      reset: 'recreated',
      merge: true,
    });
  });
});
