// What a push or a pull achieved, recorded in the store. The remote's outcome is written only here,
// each in one transaction, so a crash between any two requests or transactions leaves either the
// old or the new state — and never cleans a local write the remote does not hold. What a pulled
// header does to the dataset as a whole is decided by lifecycle.ts; this file carries it out.
import { settlePulledHeader, type HeaderDecision } from '../lifecycle';
import type { PulledRecord } from './merge-record';
import { mergePulledRecords } from './merge-pulled-records';
import { addDirtyRecords, datasetRow, recountDataset, type DatasetRow, type StoreContext } from './store-context';

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

/** A pull that has taken nothing yet. */
export function emptyPullResult(): PullResult {
  return { taken: 0, keptLocal: 0, resolvedByPolicy: 0, conflicts: [], ignored: 0, appeared: false, remoteReset: null };
}

export interface CommittedRecord {
  key: string;
  localVersion: number;
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
      // Most commits meet no conflict at all: then no key has one to drop.
      const anyConflicts = ctx.read('SELECT 1 FROM conflicts WHERE identity_id = ? AND dataset = ? LIMIT 1').get(identityId, dataset) !== undefined;
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
        if (anyConflicts) ctx.sql('DELETE FROM conflicts WHERE identity_id = ? AND dataset = ? AND key = ?').run(identityId, dataset, record.key);
      }
      addDirtyRecords(ctx, identityId, dataset, -count);
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
  pull: { header: PullHeader; records: readonly PulledRecord[] },
): PullResult {
  const { header } = pull;
  const result = emptyPullResult();
  let recordsChanged = false;
  ctx.db
    .transaction(() => {
      const apply = settlePulledHeaderHere(ctx, identityId, dataset, header, result);
      if (apply) recordsChanged = mergePulledRecords(ctx, identityId, datasetRow(ctx, identityId, dataset) as DatasetRow, pull.records, result);
      else result.ignored += pull.records.length;
      ctx
        .sql('UPDATE datasets SET last_sync_count = ?, synced_generation = ?, last_synced_at = ? WHERE identity_id = ? AND name = ?')
        .run(header.syncCount, header.generation, ctx.now(), identityId, dataset);
      // Whatever a streamed pull had planned for this dataset is done or out of date now.
      ctx.sql('DELETE FROM pull_progress WHERE identity_id = ? AND dataset = ?').run(identityId, dataset);
    })
    .immediate();
  ctx.afterLargeWrite(pull.records.length);
  if (result.appeared || result.remoteReset !== null) ctx.emit({ type: 'datasetsChanged', identityId });
  if (recordsChanged || result.remoteReset !== null) ctx.emit({ type: 'recordsChanged', identityId, dataset, origin: 'remote' });
  if (result.conflicts.length > 0) ctx.emit({ type: 'conflictsChanged', identityId, dataset });
  return result;
}

/**
 * Inside a pull's transaction: the dataset's row (created if this copy never knew it), and what the
 * pulled header does to it. Returns whether the remote records then merge.
 */
export function settlePulledHeaderHere(ctx: StoreContext, identityId: string, dataset: string, header: PullHeader, result: PullResult): boolean {
  let row = datasetRow(ctx, identityId, dataset);
  if (row === undefined) {
    ctx
      .sql('INSERT INTO datasets (identity_id, name, generation, deleted, header_dirty, created_at) VALUES (?, ?, ?, ?, 0, ?)')
      .run(identityId, dataset, header.generation, header.deleted ? 1 : 0, ctx.now());
    result.appeared = !header.deleted;
    row = datasetRow(ctx, identityId, dataset) as DatasetRow;
  }
  return settleHeader(ctx, identityId, row, header, result);
}

/**
 * Carries out, inside a pull's transaction, what lifecycle.ts decides a pulled header does to the
 * dataset as a whole (delete, new generation). Returns whether the remote records then merge.
 */
function settleHeader(ctx: StoreContext, identityId: string, row: DatasetRow, header: PullHeader, result: PullResult): boolean {
  const name = row.name;
  const decision = settlePulledHeader(
    {
      deleted: row.deleted === 1,
      headerDirty: row.header_dirty === 1,
      generation: row.generation,
      lastSyncCount: row.last_sync_count,
      dirtyRecords: row.dirty_records,
      remotePolicy: row.policy === 'remote',
    },
    header,
  );
  if (decision.records !== undefined) resetRecords(ctx, identityId, name, decision, result);
  if (decision.set !== undefined) {
    ctx
      .sql('UPDATE datasets SET generation = ?, deleted = ?, header_dirty = ? WHERE identity_id = ? AND name = ?')
      .run(decision.set.generation, decision.set.deleted ? 1 : 0, decision.set.headerDirty ? 1 : 0, identityId, name);
  }
  if (decision.appeared === true) result.appeared = true;
  return decision.merge;
}

/** A remote delete or re-create under this copy: its conflicts go, and its records all or but the dirty values. */
function resetRecords(ctx: StoreContext, identityId: string, name: string, decision: HeaderDecision, result: PullResult): void {
  const count = (where: string) =>
    (ctx.read(`SELECT count(*) AS n FROM records WHERE identity_id = ? AND dataset = ?${where}`).get(identityId, name) as { n: number }).n;
  const dirty = (datasetRow(ctx, identityId, name) as DatasetRow).dirty_records;
  ctx.sql('DELETE FROM conflicts WHERE identity_id = ? AND dataset = ?').run(identityId, name);
  if (decision.records === 'dropAll') {
    ctx.sql('DELETE FROM records WHERE identity_id = ? AND dataset = ?').run(identityId, name);
  } else {
    ctx.sql('DELETE FROM records WHERE identity_id = ? AND dataset = ? AND (dirty = 0 OR deleted = 1)').run(identityId, name);
    ctx.sql('UPDATE records SET base_sync_count = 0 WHERE identity_id = ? AND dataset = ?').run(identityId, name);
  }
  recountDataset(ctx, identityId, name);
  const kept = decision.records === 'dropAll' ? 0 : count('');
  result.remoteReset = { kind: decision.reset!, keptDirty: kept, discardedDirty: dirty - kept };
}
