// Push: the dirty records in commits of at most 99 records and the commit budget, each ONE
// TransactWriteItems conditioned on the header's syncCount; a delete as push-delete.ts does it.
// Each landed commit is recorded at once, so a crash after it loses nothing and repeats nothing.
import * as remote from '../../aws/dataset-table';
import { isAppError } from '../../../shared/errors';
import { replacesRemoteGeneration } from '../lifecycle';
import type { DatasetSyncState, PendingRecord } from '../store/sync-storage';
import { COMMIT_ITEM_BYTES, itemOverheadBytes } from './commit-budget';
import { pushDelete } from './push-delete';
import type { SyncContext } from './sync-context';

/** `replacedGeneration`: the commits wrote a newer generation than the header's, whose items are now stale. */
export type CommitStep = { outcome: 'done'; pushed: number; replacedGeneration?: number } | { outcome: 'conflict'; pushed: number };

export async function commitChanges(ctx: SyncContext, dataset: string, header: remote.RemoteHeader | undefined): Promise<CommitStep> {
  let state = ctx.storage.syncState(ctx.identityId, dataset);
  if (state === undefined) return { outcome: 'done', pushed: 0 };
  // A delete made here while this sync was under way goes as a delete.
  if (state.deletePending) return pushDelete(ctx, dataset, state, header);

  let pushed = 0;
  let landed = false;
  let afterKey: string | undefined;
  // Lowered when the service refuses a commit as too large: the next one is half its size, so the
  // same commit is never sent again as it was (our size estimate was wrong, or the limits moved).
  let maxRecords = ctx.budget.maxRecords;
  // Each dirty record goes at most once per sync (afterKey walks forward), so a user writing
  // all the time cannot keep one sync going for ever; what they write meanwhile stays dirty.
  for (;;) {
    const batch = ctx.storage.pendingChanges(ctx.identityId, dataset, {
      maxRecords,
      maxBytes: COMMIT_ITEM_BYTES,
      overheadBytesPerRecord: itemOverheadBytes(dataset),
      afterKey,
    });
    if (batch === undefined) break;
    state = batch.state;
    if (batch.records.length === 0 && !state.headerPending) break;
    const sent = await sendCommit(ctx, dataset, batch.state, batch.records, maxRecords);
    if (sent.outcome === 'tooLarge') {
      maxRecords = sent.next;
      continue;
    }
    if (sent.outcome === 'conflict') return { outcome: 'conflict', pushed };
    landed = true;
    pushed += sent.records.length;
    ctx.progress(dataset, { pushed: sent.records.length });
    if (!batch.more && sent.records.length === batch.records.length) break;
    afterKey = sent.records.at(-1)?.key;
  }
  // Only once a commit of the newer generation has landed are the older items stale for everyone.
  const replaced = landed && replacesRemoteGeneration(state, header);
  return { outcome: 'done', pushed, ...(replaced ? { replacedGeneration: state.generation } : {}) };
}

type Sent = { outcome: 'landed'; records: PendingRecord[] } | { outcome: 'conflict' } | { outcome: 'tooLarge'; next: number };

/** One commit of the batch's first records, recorded in the store when it lands. */
async function sendCommit(ctx: SyncContext, dataset: string, state: DatasetSyncState, batch: PendingRecord[], maxRecords: number): Promise<Sent> {
  const all = batch.map((record) => ({ key: record.key, value: record.value ?? undefined, deviceLastModified: record.deviceLastModified }));
  // The store fills a batch by UTF-8 bytes; the request is JSON, where a control character
  // takes six bytes: the commit is as many records as fit both.
  const fit = remote.commitPrefix(dataset, all, { ...ctx.budget, maxRecords });
  const records = batch.slice(0, fit);
  let outcome: remote.CommitOutcome;
  try {
    outcome = await remote.commitChanges(ctx.table, {
      dataset,
      syncCount: state.lastSyncCount,
      generation: state.generation,
      records: all.slice(0, fit),
      deviceId: ctx.deviceId,
      now: ctx.now(),
      counters: { recordCount: state.recordCount, sizeBytes: state.bytes },
    });
  } catch (error) {
    if (!(isAppError(error) && error.code === 'SYNC_COMMIT_TOO_LARGE' && fit > 1)) throw error;
    const next = Math.floor(fit / 2);
    ctx.log.warn('the service refused a commit as too large; sending smaller ones', { records: fit, next });
    return { outcome: 'tooLarge', next };
  }
  if (!outcome.committed) return { outcome: 'conflict' };
  ctx.storage.markCommitted(
    ctx.identityId,
    dataset,
    outcome.syncCount,
    state.generation,
    records.map((record) => ({ key: record.key, localVersion: record.localVersion })),
  );
  ctx.committed?.(dataset, outcome.syncCount);
  return { outcome: 'landed', records };
}
