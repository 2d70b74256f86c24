// The store's side of sync-protocol.md: what to push, and recording what a push or a pull achieved.
// The remote's outcome is written only here, each in one transaction, so a crash between any two
// requests or transactions leaves either the old or the new state — and never cleans a local write
// the remote does not hold.
import { applyMergeAction } from './apply-merge-action';
import { mergeRecord, type ConflictPolicyName, type RemoteRecord } from './merge-record';
import { datasetRow, localSideOf, recordRow, recountDataset, type DatasetRow, type StoreContext } from './store-context';

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

export interface PullHeader {
  syncCount: number;
  generation: number;
  deleted: boolean;
}

export interface PullResult {
  /** Remote values now held here (clean). */
  taken: number;
  /** Local values kept over a remote change (they stay dirty and will be pushed). */
  keptLocal: number;
  /** Conflicts the dataset's policy settled (remote, local, lastWriterWins). */
  resolvedByPolicy: number;
  /** Keys that now wait for the user (manual policy), new or updated. */
  conflicts: string[];
  /** Remote records ignored: replays, or a generation this copy has replaced or deleted. */
  ignored: number;
  /** The dataset was first learned from the remote (created on another device). */
  appeared: boolean;
  /**
   * The remote deleted or re-created the dataset under this copy. Without local changes the copy was
   * dropped; with them, `keptDirty` records were kept (and, after a delete, the dataset will be
   * re-created by the next push) — or, under the `remote` policy, `discardedDirty` were dropped.
   */
  remoteReset: null | { kind: 'deleted' | 'recreated'; keptDirty: number; discardedDirty: number };
}

export interface CommittedRecord {
  key: string;
  localVersion: number;
}

export function syncState(ctx: StoreContext, identityId: string, name: string): DatasetSyncState | undefined {
  const row = datasetRow(ctx, identityId, name);
  return row === undefined ? undefined : stateOf(ctx, identityId, row);
}

export function listSyncStates(ctx: StoreContext, identityId: string): DatasetSyncState[] {
  const rows = ctx.sql('SELECT * FROM datasets WHERE identity_id = ? ORDER BY name').all(identityId) as DatasetRow[];
  return rows.map((row) => stateOf(ctx, identityId, row));
}

function stateOf(ctx: StoreContext, identityId: string, row: DatasetRow): DatasetSyncState {
  const counts = ctx
    .sql(
      `SELECT
         -- every conflict's key is dirty, so the difference is the dirty records not parked
         (SELECT count(*) FROM records WHERE identity_id = @identityId AND dataset = @dataset AND dirty = 1)
           - (SELECT count(*) FROM conflicts WHERE identity_id = @identityId AND dataset = @dataset) AS pending,
         (SELECT count(*) FROM conflicts WHERE identity_id = @identityId AND dataset = @dataset) AS conflicts`,
    )
    .get({ identityId, dataset: row.name }) as { pending: number; conflicts: number };
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

export function pendingChanges(ctx: StoreContext, identityId: string, dataset: string, options: PendingOptions = {}): PendingBatch | undefined {
  const maxRecords = options.maxRecords ?? 99;
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  const overhead = options.overheadBytesPerRecord ?? 0;
  // One read transaction: the state and the records are the same snapshot.
  return ctx.db.transaction(() => {
    const row = datasetRow(ctx, identityId, dataset);
    if (row === undefined) return undefined;
    const rows = ctx
      .sql(
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
  })();
}

/**
 * A commit succeeded: S := newSyncCount; each committed record whose local_version is unchanged
 * becomes clean at base newSyncCount (a write made during the push stays dirty). If the dataset was
 * deleted or re-created here meanwhile, only S moves: the pending delete/recreate still has to go.
 */
export function markCommitted(
  ctx: StoreContext,
  identityId: string,
  dataset: string,
  newSyncCount: number,
  generation: number,
  records: readonly CommittedRecord[],
): { cleaned: number; stillDirty: number } {
  const cleaned = ctx.db
    .transaction(() => {
      const row = datasetRow(ctx, identityId, dataset);
      if (row === undefined) return 0;
      const sameContent = row.deleted === 0 && row.generation === generation;
      ctx
        .sql(
          `UPDATE datasets SET last_sync_count = max(last_sync_count, @newSyncCount), last_synced_at = @now,
             synced_generation = CASE WHEN @newSyncCount >= last_sync_count THEN @generation ELSE synced_generation END,
             header_dirty = CASE WHEN @sameContent THEN 0 ELSE header_dirty END WHERE identity_id = @identityId AND name = @dataset`,
        )
        .run({ newSyncCount, now: ctx.now(), generation, sameContent: sameContent ? 1 : 0, identityId, dataset });
      if (!sameContent) return 0;
      let count = 0;
      for (const record of records) {
        const result = ctx
          .sql(
            `UPDATE records SET dirty = 0, base_sync_count = ?
             WHERE identity_id = ? AND dataset = ? AND key = ? AND local_version = ? AND dirty = 1`,
          )
          .run(newSyncCount, identityId, dataset, record.key, record.localVersion);
        if (result.changes === 0) continue;
        count += 1;
        // The remote now holds this value over whatever a pull had parked against it.
        ctx.sql('DELETE FROM conflicts WHERE identity_id = ? AND dataset = ? AND key = ?').run(identityId, dataset, record.key);
      }
      return count;
    })
    .immediate();
  ctx.emit({ type: 'datasetsChanged', identityId });
  return { cleaned, stillDirty: records.length - cleaned };
}

/**
 * The delete header was written at `newSyncCount` of `syncedGeneration` (or the remote held nothing
 * of this copy's, and S stays where it was): the delete is done.
 */
export function markDeletePushed(ctx: StoreContext, identityId: string, dataset: string, newSyncCount: number, syncedGeneration: number): void {
  ctx.db
    .transaction(() => {
      ctx
        .sql(
          `UPDATE datasets SET last_sync_count = max(last_sync_count, ?), synced_generation = ?, last_synced_at = ?,
             header_dirty = CASE WHEN deleted = 1 THEN 0 ELSE header_dirty END WHERE identity_id = ? AND name = ?`,
        )
        .run(newSyncCount, syncedGeneration, ctx.now(), identityId, dataset);
    })
    .immediate();
}

/** A sync found these datasets unchanged on both sides: only their "last synced" time moves. */
export function noteSynced(ctx: StoreContext, identityId: string, datasets: readonly string[]): void {
  if (datasets.length === 0) return;
  ctx.db
    .transaction(() => {
      for (const name of datasets) ctx.sql('UPDATE datasets SET last_synced_at = ? WHERE identity_id = ? AND name = ?').run(ctx.now(), identityId, name);
    })
    .immediate();
}

/**
 * Pull step 3 in ONE transaction: the header's delete or new generation first, then every remote
 * record through mergeRecord and the dataset's policy, then S := header.syncCount.
 * `records` are those of the header's generation with syncCount in (S, header.syncCount].
 */
export function applyPull(
  ctx: StoreContext,
  identityId: string,
  dataset: string,
  pull: { header: PullHeader; records: readonly RemoteRecord[] },
): PullResult {
  const { header } = pull;
  const result: PullResult = { taken: 0, keptLocal: 0, resolvedByPolicy: 0, conflicts: [], ignored: 0, appeared: false, remoteReset: null };
  let recordsChanged = false;
  ctx.db
    .transaction(() => {
      let row = datasetRow(ctx, identityId, dataset);
      if (row === undefined) {
        ctx
          .sql('INSERT INTO datasets (identity_id, name, generation, deleted, header_dirty, created_at) VALUES (?, ?, ?, ?, 0, ?)')
          .run(identityId, dataset, header.generation, header.deleted ? 1 : 0, ctx.now());
        result.appeared = !header.deleted;
        row = datasetRow(ctx, identityId, dataset) as DatasetRow;
      }
      const apply = decideHeader(ctx, identityId, row, header, result);
      if (apply) {
        for (const remote of pull.records) {
          const local = recordRow(ctx, identityId, dataset, remote.key);
          const outcome = mergeRecord({ local: local && localSideOf(local), remote, policy: row.policy, deviceId: ctx.deviceId });
          applyMergeAction(ctx, identityId, dataset, local, remote, outcome);
          if (outcome.action === 'skip') result.ignored += 1;
          else if (outcome.action === 'conflict') result.conflicts.push(remote.key);
          else if (outcome.action === 'keepLocal') result.keptLocal += 1;
          else if (outcome.action === 'takeRemote') result.taken += 1;
          if (outcome.row === 'policy' && outcome.action !== 'conflict') result.resolvedByPolicy += 1;
          if (outcome.action === 'takeRemote' || outcome.action === 'write') recordsChanged = true;
        }
      } else {
        result.ignored += pull.records.length;
      }
      ctx
        .sql('UPDATE datasets SET last_sync_count = ?, synced_generation = ?, last_synced_at = ? WHERE identity_id = ? AND name = ?')
        .run(header.syncCount, header.generation, ctx.now(), identityId, dataset);
    })
    .immediate();
  if (result.appeared || result.remoteReset !== null) ctx.emit({ type: 'datasetsChanged', identityId });
  if (recordsChanged || result.remoteReset !== null) ctx.emit({ type: 'recordsChanged', identityId, dataset, origin: 'remote' });
  if (result.conflicts.length > 0) ctx.emit({ type: 'conflictsChanged', identityId, dataset });
  return result;
}

/**
 * Settles what the header says about the dataset as a whole (delete, new generation) against this
 * copy, inside applyPull's transaction. Returns whether the remote records then apply.
 */
function decideHeader(ctx: StoreContext, identityId: string, row: DatasetRow, header: PullHeader, result: PullResult): boolean {
  const name = row.name;
  const setDataset = (fields: { generation: number; deleted: 0 | 1; header_dirty: 0 | 1 }) =>
    ctx
      .sql('UPDATE datasets SET generation = ?, deleted = ?, header_dirty = ? WHERE identity_id = ? AND name = ?')
      .run(fields.generation, fields.deleted, fields.header_dirty, identityId, name);

  if (row.deleted === 1) {
    // Our delete waits to be pushed: it replaces whatever the remote holds now.
    if (row.header_dirty === 1) {
      setDataset({ generation: header.generation, deleted: 1, header_dirty: header.deleted ? 0 : 1 });
      return false;
    }
    if (header.deleted) {
      setDataset({ generation: header.generation, deleted: 1, header_dirty: 0 });
      return false;
    }
    // Deleted here (the delete pushed, or nothing on the remote was this copy's) and live on the
    // remote, re-created or created elsewhere: it comes back with that generation's records, all of them.
    setDataset({ generation: header.generation, deleted: 0, header_dirty: 0 });
    result.appeared = true;
    return true;
  }
  // Re-created here (a newer generation than the remote's): our records replace the remote ones.
  if (header.generation < row.generation) return false;
  if (!header.deleted && header.generation === row.generation) return true;
  // Created here before this copy ever synced: it had no old generation to drop, it joins the
  // remote's (or, if the remote's is deleted, starts the next one). Not a reset to report.
  if (row.last_sync_count === 0) {
    setDataset(
      header.deleted
        ? { generation: header.generation + 1, deleted: 0, header_dirty: 1 }
        : { generation: header.generation, deleted: 0, header_dirty: row.header_dirty },
    );
    return !header.deleted;
  }

  const kind = header.deleted ? 'deleted' : 'recreated';
  const dirty = ctx.sql('SELECT count(*) AS n FROM records WHERE identity_id = ? AND dataset = ? AND dirty = 1').get(identityId, name) as {
    n: number;
  };
  const hasLocalChanges = dirty.n > 0 || row.header_dirty === 1;
  ctx.sql('DELETE FROM conflicts WHERE identity_id = ? AND dataset = ?').run(identityId, name);
  if (!hasLocalChanges || row.policy === 'remote') {
    ctx.sql('DELETE FROM records WHERE identity_id = ? AND dataset = ?').run(identityId, name);
    recountDataset(ctx, identityId, name);
    result.remoteReset = { kind, keptDirty: 0, discardedDirty: dirty.n };
    setDataset({ generation: header.generation, deleted: header.deleted ? 1 : 0, header_dirty: 0 });
    return !header.deleted;
  }
  // Keep what was written here (values, not removals: there is nothing left to remove) as new
  // records of the generation the next push writes; the old generation's records go.
  ctx.sql('DELETE FROM records WHERE identity_id = ? AND dataset = ? AND (dirty = 0 OR deleted = 1)').run(identityId, name);
  ctx.sql('UPDATE records SET base_sync_count = 0 WHERE identity_id = ? AND dataset = ?').run(identityId, name);
  recountDataset(ctx, identityId, name);
  const kept = ctx.sql('SELECT count(*) AS n FROM records WHERE identity_id = ? AND dataset = ?').get(identityId, name) as { n: number };
  result.remoteReset = { kind, keptDirty: kept.n, discardedDirty: dirty.n - kept.n };
  if (header.deleted) {
    setDataset({ generation: header.generation + 1, deleted: 0, header_dirty: 1 });
    return false;
  }
  setDataset({ generation: header.generation, deleted: 0, header_dirty: row.header_dirty });
  return true;
}
