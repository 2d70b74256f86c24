// A dataset's life between this copy and the remote — created, synced, deleted here or remotely,
// re-created — decided in ONE place, from this copy's sync state and the remote header. Pure, so
// every row is tested alone (as merge-record.ts does for a key); the sync phases and the store carry
// the decisions out. docs/sync-protocol.md draws the same two tables with the same row names.
//
// S is this copy's last_sync_count; it counts in the synced generation (the remote generation this
// copy last saw or wrote), which a re-create here leaves behind the local one.
import type { DatasetSyncState } from './store/sync-state';

/** This copy's side, as the store's sync state reports it. */
export type LocalLife = Pick<
  DatasetSyncState,
  'lastSyncCount' | 'syncedGeneration' | 'generation' | 'deleted' | 'deletePending' | 'headerPending' | 'pendingRecords'
>;

/** The remote header's side. */
export interface RemoteLife {
  syncCount: number;
  generation: number;
  deleted: boolean;
}

/** The header Query found the dataset's header malformed (see dataset-table's remoteDamaged). */
export const DAMAGED = 'damaged';

/** The steps one sync attempt of a dataset takes, in this order. */
export type SyncStep =
  /** The delete made here is done here only: the remote holds nothing of this copy's to delete. */
  | 'settleDeleteLocally'
  /** The remote header is damaged: nothing is read or written there (SYNC_REMOTE_DAMAGED). */
  | 'leaveDamagedAlone'
  /** Move what others committed unseen into the newer generation made here, then merge it. */
  | 'recreateKeepingConcurrent'
  | 'pull'
  /** A pull, when the header still differs from S once the step before moved it. */
  | 'pullIfMoved'
  /** The table lost the header of a copy synced before: start again from syncCount 0. */
  | 'forgetLostRemote'
  /** The delete, carrying what others committed unseen into a new generation. */
  | 'pushDelete'
  | 'push';

export type AttemptRow =
  | 'damagedDeleteSettlesHere'
  | 'damagedLeftAlone'
  | 'deleteNothingRemoteToDelete'
  | 'deleteReachesRemote'
  | 'recreatedHereKeepsConcurrent'
  | 'lostRemoteStartsOver'
  | 'remoteMoved'
  | 'localChangesOnly';

export interface AttemptDecision {
  row: AttemptRow;
  steps: readonly SyncStep[];
}

/** Whether the header says something this copy has not merged yet. */
export function headerMoved(header: RemoteLife | undefined, state: LocalLife | undefined): boolean {
  if (header === undefined) return false;
  return state === undefined || header.syncCount !== state.lastSyncCount;
}

/** Whether this copy holds something the remote does not: dirty records, a create, a delete. */
export function hasLocalChanges(state: LocalLife | undefined): boolean {
  return state !== undefined && (state.pendingRecords > 0 || state.headerPending || state.deletePending);
}

/**
 * Whether a delete made here has something on the remote to delete: the generation this copy saw is
 * still there. Not when the dataset never reached the remote, was never seen from it (S = 0), is
 * already deleted there, or was re-created since in a generation this copy never saw. The
 * generation compared is the synced one, not the local one, which a re-create here moved ahead
 * (delete, re-create, delete must still delete what this copy saw).
 */
export function deletesRemoteCopy(state: LocalLife, header: RemoteLife | undefined): header is RemoteLife {
  return header !== undefined && !header.deleted && state.lastSyncCount > 0 && header.generation === state.syncedGeneration;
}

/** Records of the header's generation this copy never saw: after S in the generation S counts in, else all. */
export function unseenSince(state: LocalLife, header: RemoteLife): number {
  return header.generation === state.syncedGeneration ? state.lastSyncCount : 0;
}

/** Deleted and re-created here (a newer generation) while others committed what this copy never saw. */
export function isRecreatedHere(state: LocalLife, header: RemoteLife): boolean {
  return state.headerPending && !header.deleted && state.generation > header.generation && header.syncCount > unseenSince(state, header);
}

const ATTEMPT_ROWS: readonly { row: AttemptRow; when(state: LocalLife | undefined, header: RemoteLife | undefined): boolean; steps: readonly SyncStep[] }[] = [
  // Whatever the remote holds (created or re-created elsewhere) arrives in this same sync.
  { row: 'deleteNothingRemoteToDelete', when: (s, h) => s?.deletePending === true && !deletesRemoteCopy(s, h), steps: ['settleDeleteLocally', 'pullIfMoved', 'push'] },
  // No pull: the delete replaces the remote, and what others wrote meanwhile is carried over.
  { row: 'deleteReachesRemote', when: (s) => s?.deletePending === true, steps: ['pushDelete'] },
  { row: 'recreatedHereKeepsConcurrent', when: (s, h) => s !== undefined && h !== undefined && isRecreatedHere(s, h), steps: ['recreateKeepingConcurrent', 'pullIfMoved', 'push'] },
  // A copy deleted here has nothing to commit again: it stays deleted.
  { row: 'lostRemoteStartsOver', when: (s, h) => h === undefined && s !== undefined && s.lastSyncCount > 0 && !s.deleted, steps: ['forgetLostRemote', 'push'] },
  { row: 'remoteMoved', when: (s, h) => headerMoved(h, s), steps: ['pull', 'push'] },
  { row: 'localChangesOnly', when: () => true, steps: ['push'] },
];

/**
 * What one sync attempt does with a dataset, from this copy's state (undefined: never known here)
 * and the remote header (undefined: none; DAMAGED: malformed).
 */
export function decideAttempt(state: LocalLife | undefined, header: RemoteLife | undefined | typeof DAMAGED): AttemptDecision {
  if (header === DAMAGED) {
    // A delete waiting here is done here only (the remote copy is left alone, as for any dataset this
    // app does not sync); anything else fails and stays here.
    return state?.deletePending === true
      ? { row: 'damagedDeleteSettlesHere', steps: ['settleDeleteLocally'] }
      : { row: 'damagedLeftAlone', steps: ['leaveDamagedAlone'] };
  }
  const found = ATTEMPT_ROWS.find((each) => each.when(state, header))!;
  return { row: found.row, steps: found.steps };
}

/**
 * Which records a pull reads: those committed after `after` in the header's generation — after S
 * when S counts in it, else all of it (also when this copy, deleted here, holds nothing) — or none:
 * the header is a delete, a delete waits here to replace the remote, or this copy was re-created
 * here in a newer generation and keeps its own records. (A delete already pushed has no generation
 * of its own left.)
 */
export function recordsToPull(state: LocalLife | undefined, header: RemoteLife): { after: number } | undefined {
  if (header.deleted || (state !== undefined && (state.deletePending || (!state.deleted && state.generation > header.generation)))) return undefined;
  const holdsNothing = state?.deleted === true && !state.deletePending;
  const sameGeneration = state !== undefined && !holdsNothing && state.syncedGeneration === header.generation;
  return { after: sameGeneration ? state.lastSyncCount : 0 };
}

/** Once a commit of a newer generation made here has landed, the header's older items are stale for everyone. */
export function replacesRemoteGeneration(state: LocalLife, header: RemoteLife | undefined): boolean {
  return header !== undefined && state.generation > header.generation;
}

/** Whether this device holds a copy a damaged remote header concerns (else the dataset is left alone). */
export function holdsCopy(state: LocalLife | undefined): boolean {
  return state !== undefined && (!state.deleted || state.deletePending);
}

/** Whether a sync must visit the dataset: its header moved, or this copy has local changes. */
export function needsVisit(state: LocalLife | undefined, header: RemoteLife | undefined): boolean {
  return headerMoved(header, state) || hasLocalChanges(state);
}

// ——— a pulled header against this copy (the store carries it out in the pull's transaction) ———

/** This copy's side as the store row holds it when a pull arrives. */
export interface LocalRow {
  deleted: boolean;
  /** header_dirty: a delete, create or re-create made here waits to be pushed. */
  headerDirty: boolean;
  generation: number;
  lastSyncCount: number;
  /** Dirty records here, conflicted ones included. */
  dirtyRecords: number;
  /** The `remote` conflict policy drops local changes a remote reset meets. */
  remotePolicy: boolean;
}

export type HeaderRow =
  | 'deletedOnBothSides'
  | 'deletePendingWaits'
  | 'comesBackFromRemote'
  | 'recreatedHereNewer'
  | 'sameGeneration'
  | 'neverSyncedMeetsDelete'
  | 'neverSyncedJoinsRemote'
  | 'remoteResetDropsCopy'
  | 'remoteDeleteKeepsDirty'
  | 'remoteRecreateKeepsDirty';

export interface HeaderDecision {
  row: HeaderRow;
  /** The dataset row's new generation, deleted and header_dirty (undefined: unchanged). */
  set?: { generation: number; deleted: boolean; headerDirty: boolean };
  /** What happens to the local records: all go, or only the dirty values stay (as new records). */
  records?: 'dropAll' | 'keepDirtyValues';
  /** A remote delete or re-create reset this copy under the user (reported). */
  reset?: 'deleted' | 'recreated';
  /** The dataset (re)appears here. */
  appeared?: boolean;
  /** Whether the pulled records then merge. */
  merge: boolean;
}

/** What a pulled header does to this copy as a whole (delete, new generation), before its records merge. */
export function settlePulledHeader(local: LocalRow, header: RemoteLife): HeaderDecision {
  const remote = { generation: header.generation, deleted: header.deleted };
  if (local.deleted) {
    if (header.deleted) return { row: 'deletedOnBothSides', set: { ...remote, headerDirty: false }, merge: false };
    // Our delete waits to be pushed: it replaces whatever the remote holds now.
    if (local.headerDirty) return { row: 'deletePendingWaits', set: { generation: header.generation, deleted: true, headerDirty: true }, merge: false };
    // Deleted here (the delete pushed, or nothing on the remote was this copy's) and live on the
    // remote, re-created or created elsewhere: it comes back with that generation's records, all of them.
    return { row: 'comesBackFromRemote', set: { ...remote, headerDirty: false }, appeared: true, merge: true };
  }
  // Re-created here (a newer generation than the remote's): our records replace the remote ones.
  if (header.generation < local.generation) return { row: 'recreatedHereNewer', merge: false };
  if (!header.deleted && header.generation === local.generation) return { row: 'sameGeneration', merge: true };
  // Created here before this copy ever synced: it had no old generation to drop, it joins the
  // remote's (or, if the remote's is deleted, starts the next one). Not a reset to report.
  if (local.lastSyncCount === 0) {
    return header.deleted
      ? { row: 'neverSyncedMeetsDelete', set: { generation: header.generation + 1, deleted: false, headerDirty: true }, merge: false }
      : { row: 'neverSyncedJoinsRemote', set: { ...remote, headerDirty: local.headerDirty }, merge: true };
  }
  const reset = header.deleted ? 'deleted' : 'recreated';
  if ((local.dirtyRecords === 0 && !local.headerDirty) || local.remotePolicy) {
    return { row: 'remoteResetDropsCopy', set: { ...remote, headerDirty: false }, records: 'dropAll', reset, merge: !header.deleted };
  }
  // Keep what was written here (values, not removals: there is nothing left to remove) as new
  // records of the generation the next push writes; the old generation's records go.
  return header.deleted
    ? { row: 'remoteDeleteKeepsDirty', set: { generation: header.generation + 1, deleted: false, headerDirty: true }, records: 'keepDirtyValues', reset, merge: false }
    : { row: 'remoteRecreateKeepsDirty', set: { ...remote, headerDirty: local.headerDirty }, records: 'keepDirtyValues', reset, merge: true };
}
