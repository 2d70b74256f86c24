// Merging a batch of pulled records (one page of a pull, or a whole small pull) inside the caller's
// transaction: every record through mergeRecord and the dataset's policy, as applyMergeAction says.
//
// The bulk path: a first pull is almost all keys this copy has never held, and for those the merge
// can only take the remote value. Instead of four statements each (read the row, drop its conflict,
// take a local_version, write), the batch reads its keys' rows in one query, takes a block of
// local_versions and moves the dataset's counters once, and writes each new key with one INSERT.
// Any other key, and every key of a dataset with conflicts waiting, goes through applyMergeAction.
import { utf8Bytes } from '../limits';
import { applyMergeAction } from './apply-merge-action';
import { mergeRecord, type PulledRecord } from './merge-record';
import type { PullResult } from './sync-bookkeeping';
import { localSideOf, recordRow, type DatasetRow, type RecordDbRow, type StoreContext } from './store-context';

export type MergeTally = Pick<PullResult, 'taken' | 'keptLocal' | 'resolvedByPolicy' | 'conflicts' | 'ignored'>;

/** Merges `records` into `row`'s dataset; returns whether any record's value changed here. */
export function mergePulledRecords(
  ctx: StoreContext,
  identityId: string,
  row: DatasetRow,
  records: readonly PulledRecord[],
  tally: MergeTally,
): boolean {
  if (records.length === 0) return false;
  const dataset = row.name;
  const held = heldRows(ctx, identityId, dataset, records);
  const anyConflicts = ctx.read('SELECT 1 FROM conflicts WHERE identity_id = ? AND dataset = ? LIMIT 1').get(identityId, dataset) !== undefined;
  const fresh = anyConflicts ? [] : newKeys(records, held);
  let changed = insertNew(ctx, identityId, dataset, fresh, tally);
  const inserted = new Set(fresh.map((record) => record.key));
  const seen = new Set<string>();
  for (const remote of records) {
    if (inserted.has(remote.key)) continue;
    // A key twice in one batch (never from DynamoDB, which holds one item per key): read it afresh.
    const local = seen.has(remote.key) ? recordRow(ctx, identityId, dataset, remote.key) : held.get(remote.key);
    seen.add(remote.key);
    const outcome = mergeRecord({ local: local && localSideOf(local), remote, policy: row.policy, deviceId: ctx.deviceId });
    applyMergeAction(ctx, identityId, dataset, local, remote, outcome);
    if (outcome.action === 'skip') tally.ignored += 1;
    else if (outcome.action === 'conflict') tally.conflicts.push(remote.key);
    else if (outcome.action === 'keepLocal') tally.keptLocal += 1;
    else if (outcome.action === 'takeRemote') tally.taken += 1;
    if (outcome.row === 'policy' && outcome.action !== 'conflict') tally.resolvedByPolicy += 1;
    if (outcome.action === 'takeRemote' || outcome.action === 'write') changed = true;
  }
  return changed;
}

/** The local rows of the batch's keys, in one query. */
function heldRows(ctx: StoreContext, identityId: string, dataset: string, records: readonly PulledRecord[]): Map<string, RecordDbRow> {
  const rows = ctx
    .read('SELECT * FROM records WHERE identity_id = ? AND dataset = ? AND key IN (SELECT value FROM json_each(?))')
    .all(identityId, dataset, JSON.stringify(records.map((record) => record.key))) as RecordDbRow[];
  return new Map(rows.map((row) => [row.key, row]));
}

/** Keys this copy has never held, appearing once in the batch: the merge takes them as they are. */
function newKeys(records: readonly PulledRecord[], held: ReadonlyMap<string, RecordDbRow>): PulledRecord[] {
  const counts = new Map<string, number>();
  for (const record of records) counts.set(record.key, (counts.get(record.key) ?? 0) + 1);
  return records.filter((record) => !held.has(record.key) && counts.get(record.key) === 1);
}

/**
 * mergeRecord's `localAbsent` row for each of `fresh`: the remote value, clean, based on its
 * syncCount; a tombstone of a key never held leaves nothing. One INSERT each, one counter update.
 */
function insertNew(ctx: StoreContext, identityId: string, dataset: string, fresh: readonly PulledRecord[], tally: MergeTally): boolean {
  const live = fresh.filter((record) => record.value !== null);
  tally.taken += fresh.length;
  if (live.length === 0) return false;
  const bytes = live.map((record) => utf8Bytes(record.key) + utf8Bytes(record.value as string));
  const reserved = ctx
    .sql(
      `UPDATE datasets SET write_seq = write_seq + ?, live_records = live_records + ?, live_bytes = live_bytes + ?
       WHERE identity_id = ? AND name = ? RETURNING write_seq`,
    )
    .get(live.length, live.length, bytes.reduce((sum, n) => sum + n, 0), identityId, dataset) as { write_seq: number } | undefined;
  if (reserved === undefined) throw new Error('the dataset row disappeared inside its own transaction');
  const insert = ctx.sql(
    `INSERT INTO records (identity_id, dataset, key, value, deleted, bytes, base_sync_count, local_version, dirty, modified_at, device_last_modified, last_modified_by)
     VALUES (?, ?, ?, ?, 0, ?, ?, ?, 0, ?, ?, ?)`,
  );
  const now = ctx.now();
  let version = reserved.write_seq - live.length;
  live.forEach((record, index) => {
    version += 1;
    insert.run(identityId, dataset, record.key, record.value, bytes[index], record.syncCount, version, now, record.deviceLastModified, record.lastModifiedBy);
  });
  return true;
}
