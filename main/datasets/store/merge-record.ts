// Pull step 3 of docs/sync-protocol.md for one key: what a remote record does to the local one. Pure, so
// every row of the merge table is tested alone; the store applies the outcome in its transaction.

import { conflictPolicySchema, type ConflictPolicyName } from '../../../shared/ipc-contract';

/** What a dataset does when a remote change meets a local change of the same key (the contract's names). */
export type { ConflictPolicyName };
export const CONFLICT_POLICIES: readonly ConflictPolicyName[] = conflictPolicySchema.options;

/** A stored policy, or `{value}`: resolve with this value (null = removed), as a user or callback decides. */
export type ConflictPolicy = ConflictPolicyName | { value: string | null };

/** The local side of a key. `value: null` is a tombstone (removed). */
export interface LocalSide {
  value: string | null;
  dirty: boolean;
  baseSyncCount: number;
  deviceLastModified: number;
  lastModifiedBy: string;
}

/** A record as the pull read it. `value: null` is a remote tombstone. */
export interface PulledRecord {
  key: string;
  value: string | null;
  syncCount: number;
  /** The writing device's clock when the value was written (ms since epoch). */
  deviceLastModified: number;
  /** The device ID that wrote it. */
  lastModifiedBy: string;
}

/**
 * - `takeRemote`: store r's value clean, `base_sync_count = r.syncCount`.
 * - `keepLocal`: keep l's value dirty, `base_sync_count = r.syncCount` so the next push overwrites r.
 * - `write`: store `value` dirty, `base_sync_count = r.syncCount`.
 * - `conflict`: keep l as it is and store r in `conflicts`; the key is not pushed until resolved.
 * - `skip`: r is older than what l is already based on; nothing changes.
 */
export type MergeAction =
  | { action: 'takeRemote' }
  | { action: 'keepLocal' }
  | { action: 'write'; value: string | null }
  | { action: 'conflict' }
  | { action: 'skip' };

/** Which row of the merge table decided, so tests and logs can say why. */
export type MergeRow = 'localAbsent' | 'staleRemote' | 'localClean' | 'localCleanButLater' | 'localEqual' | 'ownEarlierWrite' | 'policy';

export type MergeOutcome = MergeAction & { row: MergeRow };

export function mergeRecord(input: {
  local: LocalSide | undefined;
  remote: PulledRecord;
  policy: ConflictPolicy;
  /** This device's ID: breaks lastWriterWins ties and recognises this device's own earlier writes. */
  deviceId: string;
}): MergeOutcome {
  const { local, remote, policy, deviceId } = input;
  if (local === undefined) return { action: 'takeRemote', row: 'localAbsent' };
  // A re-read page or a replayed pull: l already includes r (base counts never exceed the header's).
  if (remote.syncCount <= local.baseSyncCount) return { action: 'skip', row: 'staleRemote' };
  if (!local.dirty) {
    // Improves on the protocol: under lastWriterWins a later commit may still carry the earlier write
    // (clocks differ between devices: a device whose clock is behind overwrote a value it had pulled).
    // Keeping and re-pushing the greater (time, device) makes every replica end on the same winner.
    if (policy === 'lastWriterWins' && localWriteIsLater(local, remote, deviceId)) return { action: 'keepLocal', row: 'localCleanButLater' };
    return { action: 'takeRemote', row: 'localClean' };
  }
  if (local.value === remote.value) return { action: 'takeRemote', row: 'localEqual' };
  // Improves on the protocol: r came from this device, so it is an earlier state of l that a push
  // committed before the device could record it (a crash, a lost reply). Local writes on one device
  // are ordered, so l is newer; calling it a conflict would show the user a quarrel with themselves.
  if (remote.lastModifiedBy === deviceId) return { action: 'keepLocal', row: 'ownEarlierWrite' };
  return { ...resolveByPolicy(local, remote, policy, deviceId), row: 'policy' };
}

/** A conflict under `policy`: the action that settles it (`conflict` only under `manual`). */
export function resolveByPolicy(local: LocalSide, remote: PulledRecord, policy: ConflictPolicy, deviceId: string): MergeAction {
  if (typeof policy === 'object') return { action: 'write', value: policy.value };
  switch (policy) {
    case 'remote':
      return { action: 'takeRemote' };
    case 'local':
      return { action: 'keepLocal' };
    case 'manual':
      return { action: 'conflict' };
    case 'lastWriterWins':
      return localWriteIsLater(local, remote, deviceId) ? { action: 'keepLocal' } : { action: 'takeRemote' };
  }
}

// Greatest (deviceLastModified, device ID) wins: a total order every device computes alike.
// The local side's writer is usually this device, but after a pull it may be another one.
function localWriteIsLater(local: LocalSide, remote: PulledRecord, deviceId: string): boolean {
  if (local.deviceLastModified !== remote.deviceLastModified) return local.deviceLastModified > remote.deviceLastModified;
  const localWriter = local.lastModifiedBy || deviceId;
  return localWriter > remote.lastModifiedBy;
}
