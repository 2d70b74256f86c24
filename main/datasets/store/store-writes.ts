// The user's writes. Each is one IMMEDIATE transaction (durable when it returns: synchronous=FULL),
// checked against the limits before anything is written; events go out only after the commit.
import { AppError } from '../../../shared/errors';
import { applyMergeAction } from './apply-merge-action';
import { heldRows, insertNewRecords } from './bulk-write';
import { checkDatasetCount, checkDatasetName, checkKey, checkRecordCount, checkValue } from '../limits';
import { CONFLICT_POLICIES, resolveByPolicy, type ConflictPolicy, type ConflictPolicyName } from './merge-record';
import {
  conflictRow,
  datasetRow,
  liveDatasetRow,
  localSideOf,
  recordRow,
  recountDataset,
  remoteSideOf,
  writeRecord,
  type RecordDbRow,
  type RecordWrite,
  type StoreContext,
} from './store-context';

export type ConflictResolution = { keep: 'mine' } | { keep: 'theirs' } | { value: string };

/** What a write did: whether anything changed, and the time the record now carries (null: it holds nothing). */
export interface WriteOutcome {
  changed: boolean;
  /** The write's time when it changed something; else the record's own time, or null when the key holds nothing. */
  modifiedAt: number | null;
}

/**
 * Idempotent: true when it created (or re-created) the dataset. Re-creating a deleted dataset starts
 * a new generation: nothing old comes back.
 */
export function openOrCreateDataset(ctx: StoreContext, identityId: string, name: string): boolean {
  checkDatasetName(name, ctx.limits);
  const created = ctx.db
    .transaction(() => {
      const row = datasetRow(ctx, identityId, name);
      if (row !== undefined && row.deleted === 0) return false;
      const { live } = ctx.sql('SELECT count(*) AS live FROM datasets WHERE identity_id = ? AND deleted = 0').get(identityId) as { live: number };
      checkDatasetCount(live + 1, ctx.limits);
      if (row === undefined) {
        ctx.sql('INSERT INTO datasets (identity_id, name, header_dirty, created_at) VALUES (?, ?, 1, ?)').run(identityId, name, ctx.now());
      } else {
        ctx
          .sql('UPDATE datasets SET deleted = 0, header_dirty = 1, generation = generation + 1, created_at = ? WHERE identity_id = ? AND name = ?')
          .run(ctx.now(), identityId, name);
      }
      return true;
    })
    .immediate();
  if (created) ctx.emit({ type: 'datasetsChanged', identityId });
  return created;
}

/** Hides the dataset and drops its records here at once; the sync pushes the delete. Returns when. */
export function deleteDataset(ctx: StoreContext, identityId: string, name: string): number {
  const at = ctx.now();
  ctx.db
    .transaction(() => {
      liveDatasetRow(ctx, identityId, name);
      ctx.sql('DELETE FROM records WHERE identity_id = ? AND dataset = ?').run(identityId, name);
      ctx.sql('DELETE FROM conflicts WHERE identity_id = ? AND dataset = ?').run(identityId, name);
      ctx
        .sql('UPDATE datasets SET deleted = 1, header_dirty = 1, live_records = 0, live_bytes = 0, dirty_records = 0 WHERE identity_id = ? AND name = ?')
        .run(identityId, name);
    })
    .immediate();
  ctx.emit({ type: 'datasetsChanged', identityId });
  return at;
}

/** Changed false when the key already held this value (nothing to sync); then the record's own time. */
export function putRecord(ctx: StoreContext, identityId: string, dataset: string, key: string, value: string): WriteOutcome {
  const at = ctx.now();
  if (putRecords(ctx, identityId, dataset, [{ key, value }], at) > 0) return { changed: true, modifiedAt: at };
  return { changed: false, modifiedAt: recordRow(ctx, identityId, dataset, key)?.device_last_modified ?? at };
}

/**
 * Puts many records in ONE transaction (an import): every key and value is checked before anything
 * is written, and a batch that would pass the records limit writes nothing. Returns how many changed.
 */
export function putRecords(
  ctx: StoreContext,
  identityId: string,
  dataset: string,
  records: readonly { key: string; value: string }[],
  /** The time every record written carries: one write, one time. */
  at = ctx.now(),
): number {
  for (const { key, value } of records) {
    checkKey(key, ctx.limits);
    checkValue(value, ctx.limits);
  }
  const changed = ctx.db
    .transaction(() => {
      let live = liveDatasetRow(ctx, identityId, dataset).live_records;
      // The bulk path (bulk-write.ts): keys new to the dataset, once in the batch, are one INSERT each.
      const held = heldRows(ctx, identityId, dataset, records.map((record) => record.key));
      const seen = new Set<string>();
      const fresh: RecordWrite[] = [];
      let count = 0;
      for (const { key, value } of records) {
        const again = seen.has(key);
        seen.add(key);
        if (!again && !held.has(key)) {
          checkRecordCount((live += 1), ctx.limits);
          fresh.push({ key, value, dirty: true, baseSyncCount: 0, deviceLastModified: at, lastModifiedBy: ctx.deviceId });
          count += 1;
          continue;
        }
        if (again) insertNewRecords(ctx, identityId, dataset, fresh.splice(0));
        const existing = again ? recordRow(ctx, identityId, dataset, key) : held.get(key);
        if (existing !== undefined && existing.deleted === 0 && existing.value === value) continue;
        if (existing === undefined || existing.deleted === 1) {
          live += 1;
          checkRecordCount(live, ctx.limits);
        }
        writeLocal(ctx, identityId, dataset, existing, key, value, at);
        count += 1;
      }
      insertNewRecords(ctx, identityId, dataset, fresh);
      return count;
    })
    .immediate();
  ctx.afterLargeWrite(changed);
  if (changed > 0) ctx.emit({ type: 'recordsChanged', identityId, dataset, origin: 'local' });
  return changed;
}

/** Leaves a tombstone for the sync to push. Returns false when the key held nothing. */
function keyOutsideLimits(key: string, ctx: StoreContext): boolean {
  try {
    checkKey(key, ctx.limits);
    return false;
  } catch {
    return true;
  }
}

/** Changed false (and no time) when the key held nothing. */
export function removeRecord(ctx: StoreContext, identityId: string, dataset: string, key: string): WriteOutcome {
  // No limit check: any key that exists can be removed, whatever its size. Older versions stored
  // keys from the cloud that no local write would accept (over the limit, empty).
  const at = ctx.now();
  const changed = ctx.db
    .transaction(() => {
      liveDatasetRow(ctx, identityId, dataset);
      const existing = recordRow(ctx, identityId, dataset, key);
      if (existing === undefined || existing.deleted === 1) return false;
      if (keyOutsideLimits(key, ctx)) {
        // Gone here only: a tombstone would carry the bad key to the cloud, and every other device
        // skips such an item anyway.
        ctx.sql('DELETE FROM conflicts WHERE identity_id = ? AND dataset = ? AND key = ?').run(identityId, dataset, key);
        ctx.sql('DELETE FROM records WHERE identity_id = ? AND dataset = ? AND key = ?').run(identityId, dataset, key);
        recountDataset(ctx, identityId, dataset);
        return true;
      }
      writeLocal(ctx, identityId, dataset, existing, key, null, at);
      return true;
    })
    .immediate();
  if (changed) ctx.emit({ type: 'recordsChanged', identityId, dataset, origin: 'local' });
  return { changed, modifiedAt: changed ? at : null };
}

function writeLocal(
  ctx: StoreContext,
  identityId: string,
  dataset: string,
  existing: RecordDbRow | undefined,
  key: string,
  value: string | null,
  at: number,
): void {
  writeRecord(ctx, identityId, dataset, existing, {
    key,
    value,
    dirty: true,
    baseSyncCount: existing?.base_sync_count ?? 0,
    deviceLastModified: at,
    lastModifiedBy: ctx.deviceId,
  });
}

/** Settles one conflict: keep mine (pushed over theirs), keep theirs, or a new value (pushed). Always a change. */
export function resolveConflict(ctx: StoreContext, identityId: string, dataset: string, key: string, resolution: ConflictResolution): WriteOutcome {
  if ('value' in resolution) checkValue(resolution.value, ctx.limits);
  const policy: ConflictPolicy =
    'value' in resolution ? { value: resolution.value } : resolution.keep === 'mine' ? 'local' : 'remote';
  const after = ctx.db
    .transaction(() => {
      liveDatasetRow(ctx, identityId, dataset);
      const conflict = conflictRow(ctx, identityId, dataset, key);
      const local = recordRow(ctx, identityId, dataset, key);
      if (conflict === undefined || local === undefined) {
        throw new AppError('CONFLICT_NOT_FOUND', 'This conflict is already resolved (here, or by a later sync). Reload the list of conflicts.');
      }
      const remote = remoteSideOf(conflict);
      applyMergeAction(ctx, identityId, dataset, local, remote, resolveByPolicy(localSideOf(local), remote, policy, ctx.deviceId));
      return recordRow(ctx, identityId, dataset, key);
    })
    .immediate();
  ctx.emit({ type: 'conflictsChanged', identityId, dataset });
  ctx.emit({ type: 'recordsChanged', identityId, dataset, origin: 'local' });
  return { changed: true, modifiedAt: after === undefined || after.deleted === 1 ? null : after.device_last_modified };
}

/** Sets the policy and settles the open conflicts it now decides (all but `manual`'s). False when it was already the policy. */
export function setConflictPolicy(ctx: StoreContext, identityId: string, dataset: string, policy: ConflictPolicyName): boolean {
  if (!CONFLICT_POLICIES.includes(policy)) {
    throw new AppError('IPC_BAD_INPUT', `A conflict policy is one of ${CONFLICT_POLICIES.join(', ')}.`);
  }
  let changed = false;
  const settled = ctx.db
    .transaction(() => {
      changed = liveDatasetRow(ctx, identityId, dataset).policy !== policy;
      ctx.sql('UPDATE datasets SET policy = ? WHERE identity_id = ? AND name = ?').run(policy, identityId, dataset);
      if (policy === 'manual') return 0;
      const keys = ctx.sql('SELECT key FROM conflicts WHERE identity_id = ? AND dataset = ?').pluck().all(identityId, dataset) as string[];
      for (const key of keys) {
        const conflict = conflictRow(ctx, identityId, dataset, key);
        const local = recordRow(ctx, identityId, dataset, key);
        if (conflict === undefined || local === undefined) continue;
        const remote = remoteSideOf(conflict);
        applyMergeAction(ctx, identityId, dataset, local, remote, resolveByPolicy(localSideOf(local), remote, policy, ctx.deviceId));
      }
      return keys.length;
    })
    .immediate();
  ctx.emit({ type: 'datasetsChanged', identityId });
  if (settled > 0) {
    ctx.emit({ type: 'conflictsChanged', identityId, dataset });
    ctx.emit({ type: 'recordsChanged', identityId, dataset, origin: 'local' });
  }
  return changed || settled > 0;
}

export function setWorkOffline(ctx: StoreContext, on: boolean): void {
  ctx
    .sql("INSERT INTO profile_settings (name, value) VALUES ('workOffline', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value")
    .run(on ? 'true' : 'false');
  ctx.emit({ type: 'workOfflineChanged', workOffline: on });
}

/** "Remove this device's data" at sign-out: every row of the identity, overwritten (secure_delete), WAL emptied. */
export function removeIdentityData(ctx: StoreContext, identityId: string): void {
  ctx.db
    .transaction(() => {
      for (const table of ['records', 'conflicts', 'datasets', 'pull_progress', 'device_names']) {
        ctx.sql(`DELETE FROM ${table} WHERE identity_id = ?`).run(identityId);
      }
    })
    .immediate();
  // The WAL still holds the old pages until a checkpoint copies them back and truncates it.
  ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  ctx.emit({ type: 'datasetsChanged', identityId });
}
