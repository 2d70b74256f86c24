// Improves on "the delete wins" and "the re-create wins": records other devices committed after
// this copy last looked were never seen here, so replacing them would lose writes no one chose to
// lose. They move into a new generation in ONE commit on top of the header — the replaced records
// never come back, the concurrent ones stay. Used by the delete push and by a re-create made here.
import * as remote from '../../aws/dataset-table';
import type { SyncContext } from './sync-context';

export interface Carry {
  header: remote.RemoteHeader;
  /** The header's records committed after this syncCount were never seen here. */
  after: number;
  /** The new generation they move into. */
  generation: number;
  /** What replaces the remote copy (for the log). */
  replacing: 'delete' | 're-create';
  /** Write the header's counters from the carried records (they are all the new generation holds). */
  countCarried: boolean;
}

export type CarryOutcome =
  /** Landed: the header as it now is, and the carried records as committed (to merge here). */
  | { outcome: 'carried'; header: remote.RemoteHeader; records: remote.RecordItem[] }
  /** Nothing to carry, or too much for one commit: the caller replaces the remote copy outright. */
  | { outcome: 'none' }
  /** Another device committed first. */
  | { outcome: 'conflict' };

export async function carryConcurrentWrites(ctx: SyncContext, dataset: string, carry: Carry): Promise<CarryOutcome> {
  const { header } = carry;
  const range = { after: carry.after, through: header.syncCount, generation: header.generation };
  const concurrent = (await remote.pullChanges(ctx.table, dataset, range, undefined, ctx.malformed)).filter((record) => !record.deleted);
  const keep = concurrent.map((record) => ({ key: record.key, value: record.value, deviceLastModified: record.deviceLastModified }));
  if (keep.length === 0) return { outcome: 'none' };
  if (remote.splitIntoCommits(dataset, keep, ctx.budget).length !== 1) {
    ctx.log.warn(`too many concurrent changes to keep across a ${carry.replacing} in one commit; the ${carry.replacing} wins`, { records: keep.length });
    return { outcome: 'none' };
  }
  const bytes = keep.reduce((sum, each) => sum + Buffer.byteLength(each.key) + Buffer.byteLength(each.value ?? ''), 0);
  const outcome = await remote.commitChanges(ctx.table, {
    dataset,
    syncCount: header.syncCount,
    generation: carry.generation,
    records: keep,
    deviceId: ctx.deviceId,
    now: ctx.now(),
    ...(carry.countCarried ? { counters: { recordCount: keep.length, sizeBytes: bytes } } : {}),
  });
  if (!outcome.committed) return { outcome: 'conflict' };
  return {
    outcome: 'carried',
    header: { ...header, syncCount: outcome.syncCount, generation: carry.generation, deleted: false },
    records: concurrent.map((record) => ({ ...record, syncCount: outcome.syncCount })),
  };
}
