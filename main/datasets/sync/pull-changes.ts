// Pull (docs/sync-protocol.md, "Streamed pulls"): the records committed since this copy's S, read as a
// few sub-ranges of (S, H] side by side and merged a page at a time, each page in its own store
// transaction; S := H once every sub-range is merged. Memory holds a few pages, not the dataset.
import * as remote from '../../aws/dataset-table';
import { isAppError } from '../../../shared/errors';
import type { PullHeader, PullRangeProgress, PullResult } from '../store/sync-storage';
import { toMergeRecord, type SyncContext } from './sync-context';

/** How many sub-ranges of (S, H] a pull reads side by side (halved while DynamoDB throttles). */
export const PULL_RANGES = 4;

/**
 * About how many records one sub-range should hold (a few 1 MB pages). A long range costs more per
 * page the further it has to go (DynamoDB Local reads a page in time that grows with what is left of
 * the range, so a single range makes a 100,000-record pull quadratic), and on AWS a page costs the
 * same wherever it starts: many short sub-ranges, read four at a time, cost no more requests than a
 * few long ones but for one last page each.
 */
export const RECORDS_PER_SUB_RANGE = 2_000;
/** At most this many sub-ranges (their plan is a row each). */
export const MAX_SUB_RANGES = 64;

/** How many sub-ranges to split a pull of `header` into: enough that each holds ~RECORDS_PER_SUB_RANGE. */
export function subRangesFor(header: Pick<remote.RemoteHeader, 'recordCount'>, sideBySide: number): number {
  const expected = Math.ceil(Math.max(0, header.recordCount) / RECORDS_PER_SUB_RANGE);
  return Math.min(MAX_SUB_RANGES, Math.max(sideBySide, expected));
}

/** The store said the copy changed under the pull (deleted or re-created here): the page was not taken. */
class CopyChanged extends Error {}

/**
 * The pull of `header`'s records. Undefined when the copy changed under it: nothing of the rest was
 * taken and S did not move, so the caller reads the header again and decides anew.
 */
export async function pullChanges(ctx: SyncContext, dataset: string, header: remote.RemoteHeader): Promise<PullResult | undefined> {
  const pullHeader: PullHeader = { syncCount: header.syncCount, generation: header.generation, deleted: header.deleted };
  const plan = ctx.storage.beginPull(ctx.identityId, dataset, pullHeader, subRangesFor(header, ctx.pullRanges ?? PULL_RANGES));
  if (plan.kind === 'settled') return plan.result;
  const result = plan.result;
  let merged = 0;
  let stop: unknown;

  const readRange = (range: PullRangeProgress) =>
    remote.pullPages(
      ctx.table,
      dataset,
      { after: range.doneThrough, through: range.to, generation: header.generation },
      (page) => {
        if (stop !== undefined) throw stop;
        const tally = ctx.storage.applyPulledPage(ctx.identityId, dataset, pullHeader, {
          rangeFrom: range.from,
          records: page.records.map(toMergeRecord),
          doneThrough: page.doneThrough,
        });
        if (tally === undefined) throw (stop = new CopyChanged());
        range.doneThrough = Math.max(range.doneThrough, page.doneThrough);
        merged += page.records.length;
        result.taken += tally.taken;
        result.keptLocal += tally.keptLocal;
        result.resolvedByPolicy += tally.resolvedByPolicy;
        result.ignored += tally.ignored;
        result.conflicts = [...new Set([...result.conflicts, ...tally.conflicts])];
        ctx.progress(dataset, { pulled: page.records.length });
      },
      ctx.malformed,
    );

  try {
    await readSideBySide(ctx, plan.ranges, readRange, (error) => (stop ??= error));
  } catch (error) {
    if (error instanceof CopyChanged) return undefined;
    throw error;
  }
  return ctx.storage.finishPull(ctx.identityId, dataset, pullHeader, merged) ? result : undefined;
}

/**
 * Reads `ranges` with at most PULL_RANGES at a time. A sub-range DynamoDB throttled (after the SDK's
 * own retries) goes back in the queue, resuming from what it merged, and fewer read at once from then
 * on; throttled with one at a time, or any other failure, stops every range at its next page.
 */
export async function readSideBySide(
  ctx: SyncContext,
  ranges: readonly PullRangeProgress[],
  read: (range: PullRangeProgress) => Promise<void>,
  stopAll: (error: unknown) => void,
): Promise<void> {
  const queue = [...ranges];
  let limit = Math.min(ctx.pullRanges ?? PULL_RANGES, queue.length);
  let failure: unknown;
  const worker = async (index: number): Promise<void> => {
    while (failure === undefined && index < limit && queue.length > 0) {
      const range = queue.shift() as PullRangeProgress;
      try {
        await read(range);
      } catch (error) {
        if (failure === undefined && isAppError(error) && error.code === 'THROTTLED' && limit > 1) {
          limit = Math.max(1, Math.floor(limit / 2));
          ctx.log.info('DynamoDB throttled the pull; reading fewer ranges at once', { ranges: limit });
          queue.push(range);
        } else {
          failure ??= error;
          stopAll(error);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, (_, index) => worker(index)));
  if (failure !== undefined) throw failure;
}
