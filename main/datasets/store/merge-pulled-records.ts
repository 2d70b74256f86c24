// Merging a batch of pulled records (one page of a pull, or a whole small pull) inside the caller's
// transaction: every record through mergeRecord and the dataset's policy, as applyMergeAction says.
//
// A first pull is almost all keys this copy has never held, and for those the merge can only take
// the remote value: they go by the bulk path (bulk-write.ts, one INSERT each). Any other key, and
// every key of a dataset with conflicts waiting, goes through applyMergeAction.
import { applyMergeAction } from './apply-merge-action';
import { heldRows, insertNewRecords } from './bulk-write';
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
  const held = heldRows(ctx, identityId, dataset, records.map((record) => record.key));
  const anyConflicts = ctx.read('SELECT 1 FROM conflicts WHERE identity_id = ? AND dataset = ? LIMIT 1').get(identityId, dataset) !== undefined;
  const fresh = anyConflicts ? [] : newKeys(records, held);
  // mergeRecord's `localAbsent` row for each: the remote value, clean, based on its syncCount.
  insertNewRecords(
    ctx,
    identityId,
    dataset,
    fresh.map((record) => ({ ...record, dirty: false, baseSyncCount: record.syncCount })),
  );
  tally.taken += fresh.length;
  let changed = fresh.some((record) => record.value !== null);
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

/** Keys this copy has never held, appearing once in the batch. */
function newKeys(records: readonly PulledRecord[], held: ReadonlyMap<string, RecordDbRow>): PulledRecord[] {
  const counts = new Map<string, number>();
  for (const record of records) counts.set(record.key, (counts.get(record.key) ?? 0) + 1);
  return records.filter((record) => !held.has(record.key) && counts.get(record.key) === 1);
}
