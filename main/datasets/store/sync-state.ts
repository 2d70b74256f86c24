// The store's reads for the sync engine: each dataset's sync state, and the next commit's worth of
// dirty records. Reads only: they take the read-only handle.
import type { ConflictPolicyName } from './merge-record';
import { datasetRow, type DatasetRow, type ReadContext } from './store-context';

export interface DatasetSyncState {
  name: string;
  /** S: the header syncCount this copy has merged up to. */
  lastSyncCount: number;
  /** The remote generation S counts in: the one this copy last saw or wrote. */
  syncedGeneration: number;
  /** The generation the local records belong to; the push writes it into the header. */
  generation: number;
  /** Deleted here (hidden from the user). */
  deleted: boolean;
  /** Deleted here and the delete is not yet pushed. */
  deletePending: boolean;
  /** Created or re-created here (new generation) and the header is not yet pushed, even with no records. */
  headerPending: boolean;
  policy: ConflictPolicyName;
  /** Dirty, non-conflicted records: what a push would send. */
  pendingRecords: number;
  conflicts: number;
  /** Live records and their UTF-8 bytes now: the header's recordCount and sizeBytes. */
  recordCount: number;
  bytes: number;
  lastSyncedAt: number | null;
}

export interface PendingRecord {
  key: string;
  /** null: a removal (push a tombstone). */
  value: string | null;
  /** The snapshot markCommitted compares with: a later write here changes it. */
  localVersion: number;
  deviceLastModified: number;
  /** UTF-8 bytes of key and value. */
  bytes: number;
}

export interface PendingBatch {
  state: DatasetSyncState;
  records: PendingRecord[];
  /** More dirty records follow this batch. */
  more: boolean;
}

export interface PendingOptions {
  maxRecords?: number;
  maxBytes?: number;
  /** Added to each record's bytes when filling maxBytes (the item's attribute names and numbers). */
  overheadBytesPerRecord?: number;
  /** Only keys after this one (to walk all dirty records without committing in between). */
  afterKey?: string;
}

export function syncState(ctx: ReadContext, identityId: string, name: string): DatasetSyncState | undefined {
  const row = datasetRow(ctx, identityId, name);
  return row === undefined ? undefined : stateOf(ctx, identityId, row);
}

export function listSyncStates(ctx: ReadContext, identityId: string): DatasetSyncState[] {
  const rows = ctx.read('SELECT * FROM datasets WHERE identity_id = ? ORDER BY name').all(identityId) as DatasetRow[];
  return rows.map((row) => stateOf(ctx, identityId, row));
}

function stateOf(ctx: ReadContext, identityId: string, row: DatasetRow): DatasetSyncState {
  // The dirty records are a counter kept with every write (schema version 7); conflicts are few.
  const { conflicts } = ctx
    .read('SELECT count(*) AS conflicts FROM conflicts WHERE identity_id = ? AND dataset = ?')
    .get(identityId, row.name) as { conflicts: number };
  // Every conflict's key is dirty, so the difference is the dirty records not parked.
  const counts = { pending: row.dirty_records - conflicts, conflicts };
  return {
    name: row.name,
    lastSyncCount: row.last_sync_count,
    syncedGeneration: row.synced_generation,
    generation: row.generation,
    deleted: row.deleted === 1,
    deletePending: row.deleted === 1 && row.header_dirty === 1,
    headerPending: row.deleted === 0 && row.header_dirty === 1,
    policy: row.policy,
    pendingRecords: counts.pending,
    conflicts: counts.conflicts,
    recordCount: row.live_records,
    bytes: row.live_bytes,
    lastSyncedAt: row.last_synced_at,
  };
}

export function pendingChanges(ctx: ReadContext, identityId: string, dataset: string, options: PendingOptions = {}): PendingBatch | undefined {
  const maxRecords = options.maxRecords ?? 99;
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  const overhead = options.overheadBytesPerRecord ?? 0;
  // One read transaction: the state and the records are the same snapshot.
  return ctx.snapshot(() => {
    const row = datasetRow(ctx, identityId, dataset);
    if (row === undefined) return undefined;
    const rows = ctx
      .read(
        // The partial index of dirty records: O(changes), where the primary key would walk every record.
        `SELECT r.key, r.value, r.deleted, r.local_version, r.device_last_modified, r.bytes FROM records r INDEXED BY records_dirty
         WHERE r.identity_id = ? AND r.dataset = ? AND r.dirty = 1 AND r.key > ?
           AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.identity_id = r.identity_id AND c.dataset = r.dataset AND c.key = r.key)
         ORDER BY r.key LIMIT ?`,
      )
      .all(identityId, dataset, options.afterKey ?? '', maxRecords + 1) as {
      key: string;
      value: string | null;
      deleted: 0 | 1;
      local_version: number;
      device_last_modified: number;
      bytes: number;
    }[];
    const records: PendingRecord[] = [];
    let total = 0;
    for (const record of rows.slice(0, maxRecords)) {
      // The first record always goes: a single record is within every limit the store enforces.
      if (records.length > 0 && total + record.bytes + overhead > maxBytes) break;
      total += record.bytes + overhead;
      records.push({
        key: record.key,
        value: record.deleted === 1 ? null : record.value,
        localVersion: record.local_version,
        deviceLastModified: record.device_last_modified,
        bytes: record.bytes,
      });
    }
    return { state: stateOf(ctx, identityId, row), records, more: rows.length > records.length };
  });
}

/**
 * The one meaning of "pending" (docs/sync-protocol.md, "Pending and unsynced"): the records a sync
 * would send — changed here, not waiting on a conflict — plus one when a create or delete of the
 * dataset itself waits to be pushed. The status bar, the dataset list and the sign-out dialog all count so.
 */
export function pendingChangesOf(pendingRecords: number, headerWaits: boolean): number {
  return pendingRecords + (headerWaits ? 1 : 0);
}
