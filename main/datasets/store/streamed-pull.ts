// A pull in pages (docs/sync-protocol.md, "Streamed pulls"): the header settled first, then each page
// of records merged in its own transaction as it arrives, then S := H once every sub-range of (S, H]
// is merged. Memory stays at a few pages whatever the dataset's size, the user sees records arrive,
// and a crash at any point leaves a state the next sync finishes:
//   - pages merged before the crash are skipped by the merge when read again (their base_sync_count
//     is already their syncCount: mergeRecord's `staleRemote` row), and the plan's rows say which
//     counts are done, so only the rest is read again;
//   - S never moves before every record of (S, H] is merged, so no push can build on a header whose
//     records this copy does not hold.
import { recordsToPull } from '../lifecycle';
import { mergePulledRecords, type MergeTally } from './merge-pulled-records';
import type { PulledRecord } from './merge-record';
import { datasetRow, type DatasetRow, type StoreContext } from './store-context';
import { emptyPullResult, settlePulledHeaderHere, type PullHeader, type PullResult } from './sync-bookkeeping';
import { syncState } from './sync-state';

/** A sub-range [from, to] of sync counts of one pull, merged through `doneThrough`. */
export interface PullRangeProgress {
  from: number;
  to: number;
  doneThrough: number;
}

export type PullPlan =
  /** Nothing to read (a delete, a generation replaced here, or no new counts): the pull is done. */
  | { kind: 'settled'; result: PullResult }
  /** Read these sub-ranges (only those not yet done), merge each page, then finishPull. */
  | { kind: 'read'; ranges: PullRangeProgress[]; result: PullResult };

interface ProgressRow {
  header_sync_count: number;
  generation: number;
  range_from: number;
  range_to: number;
  done_through: number;
}

/**
 * Pull step 1 in one transaction: the header's delete or new generation, and the plan for its
 * records — the plan already stored for this very header (a pull that was cut short), or (S, H]
 * split into at most `ranges` sub-ranges. When the copy starts over in the header's generation
 * (created elsewhere, re-created, back after a delete), S becomes 0 of that generation here, so a
 * resumed pull reads it from the start.
 */
export function beginPull(ctx: StoreContext, identityId: string, dataset: string, header: PullHeader, ranges: number): PullPlan {
  const result = emptyPullResult();
  const plan = ctx.db
    .transaction((): PullPlan => {
      const read = recordsToPull(syncState(ctx, identityId, dataset), header);
      const merge = settlePulledHeaderHere(ctx, identityId, dataset, header, result);
      const row = datasetRow(ctx, identityId, dataset) as DatasetRow;
      if (!merge || read === undefined || header.syncCount <= read.after) {
        finishHere(ctx, identityId, dataset, header);
        return { kind: 'settled', result };
      }
      if (row.last_sync_count !== read.after || row.synced_generation !== header.generation) {
        ctx
          .sql('UPDATE datasets SET last_sync_count = ?, synced_generation = ? WHERE identity_id = ? AND name = ?')
          .run(read.after, header.generation, identityId, dataset);
      }
      return { kind: 'read', ranges: planRanges(ctx, identityId, dataset, header, read.after, ranges), result };
    })
    .immediate();
  if (result.appeared || result.remoteReset !== null) ctx.emit({ type: 'datasetsChanged', identityId });
  if (result.remoteReset !== null) ctx.emit({ type: 'recordsChanged', identityId, dataset, origin: 'remote' });
  return plan;
}

/**
 * Pull step 2 for one page of the sub-range starting at `rangeFrom`, in one transaction: its records
 * merged, and the sub-range marked done through `doneThrough`. Undefined if the copy changed under
 * the pull (deleted or re-created here, or another pull finished it): the page is not taken, and the
 * sync reads the header again.
 */
export function applyPulledPage(
  ctx: StoreContext,
  identityId: string,
  dataset: string,
  header: PullHeader,
  page: { rangeFrom: number; records: readonly PulledRecord[]; doneThrough: number },
): MergeTally | undefined {
  const tally: MergeTally = { taken: 0, keptLocal: 0, resolvedByPolicy: 0, conflicts: [], ignored: 0 };
  let changed = false;
  const taken = ctx.db
    .transaction(() => {
      const row = readingRow(ctx, identityId, dataset, header);
      const range = row && progressRow(ctx, identityId, dataset, page.rangeFrom);
      if (row === undefined || range === undefined || !samePlan(range, header)) return false;
      changed = mergePulledRecords(ctx, identityId, row, page.records, tally);
      ctx
        .sql('UPDATE pull_progress SET done_through = max(done_through, ?) WHERE identity_id = ? AND dataset = ? AND range_from = ?')
        .run(Math.min(page.doneThrough, range.range_to), identityId, dataset, page.rangeFrom);
      return true;
    })
    .immediate();
  if (!taken) return undefined;
  if (changed) ctx.emit({ type: 'recordsChanged', identityId, dataset, origin: 'remote' });
  if (tally.conflicts.length > 0) ctx.emit({ type: 'conflictsChanged', identityId, dataset });
  return tally;
}

/**
 * Pull step 3 in one transaction: every sub-range is merged, so S := H and the plan goes. False if
 * the copy changed under the pull or a sub-range is not done (nothing moves).
 */
export function finishPull(ctx: StoreContext, identityId: string, dataset: string, header: PullHeader, recordsMerged: number): boolean {
  const finished = ctx.db
    .transaction(() => {
      if (readingRow(ctx, identityId, dataset, header) === undefined) return false;
      const rows = progressRows(ctx, identityId, dataset);
      if (rows.some((range) => !samePlan(range, header) || range.done_through < range.range_to)) return false;
      finishHere(ctx, identityId, dataset, header);
      return true;
    })
    .immediate();
  ctx.afterLargeWrite(recordsMerged);
  return finished;
}

/** S := H of the header's generation, and no plan left. */
function finishHere(ctx: StoreContext, identityId: string, dataset: string, header: PullHeader): void {
  ctx
    .sql('UPDATE datasets SET last_sync_count = ?, synced_generation = ?, last_synced_at = ? WHERE identity_id = ? AND name = ?')
    .run(header.syncCount, header.generation, ctx.now(), identityId, dataset);
  ctx.sql('DELETE FROM pull_progress WHERE identity_id = ? AND dataset = ?').run(identityId, dataset);
}

/** The dataset's row if it is still the copy beginPull set up to read this header into. */
function readingRow(ctx: StoreContext, identityId: string, dataset: string, header: PullHeader): DatasetRow | undefined {
  const row = datasetRow(ctx, identityId, dataset);
  const reading =
    row !== undefined &&
    row.deleted === 0 &&
    row.generation === header.generation &&
    row.synced_generation === header.generation &&
    row.last_sync_count < header.syncCount;
  return reading ? row : undefined;
}

/** The stored plan if it is this header's and covers (after, H] exactly; else a new one of `ranges` sub-ranges. */
function planRanges(ctx: StoreContext, identityId: string, dataset: string, header: PullHeader, after: number, ranges: number): PullRangeProgress[] {
  const stored = progressRows(ctx, identityId, dataset);
  if (!(stored.length > 0 && stored.every((range) => samePlan(range, header)) && coversExactly(stored, after, header.syncCount))) {
    ctx.sql('DELETE FROM pull_progress WHERE identity_id = ? AND dataset = ?').run(identityId, dataset);
    const insert = ctx.sql(
      'INSERT INTO pull_progress (identity_id, dataset, header_sync_count, generation, range_from, range_to, done_through) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const range of splitRange(after + 1, header.syncCount, ranges)) {
      insert.run(identityId, dataset, header.syncCount, header.generation, range.from, range.to, range.from - 1);
    }
  }
  return progressRows(ctx, identityId, dataset)
    .filter((range) => range.done_through < range.range_to)
    .map((range) => ({ from: range.range_from, to: range.range_to, doneThrough: range.done_through }));
}

/** [from, to] in at most `parts` contiguous sub-ranges of (nearly) equal length. */
export function splitRange(from: number, to: number, parts: number): Array<{ from: number; to: number }> {
  const length = to - from + 1;
  const count = Math.max(1, Math.min(Math.floor(parts), length));
  return Array.from({ length: count }, (_, index) => ({
    from: from + Math.floor((length * index) / count),
    to: from + Math.floor((length * (index + 1)) / count) - 1,
  }));
}

function coversExactly(rows: readonly ProgressRow[], after: number, through: number): boolean {
  let next = after + 1;
  for (const range of rows) {
    if (range.range_from !== next || range.range_to < range.range_from) return false;
    next = range.range_to + 1;
  }
  return next === through + 1;
}

function samePlan(range: ProgressRow, header: PullHeader): boolean {
  return range.header_sync_count === header.syncCount && range.generation === header.generation;
}

function progressRows(ctx: StoreContext, identityId: string, dataset: string): ProgressRow[] {
  return ctx.read('SELECT * FROM pull_progress WHERE identity_id = ? AND dataset = ? ORDER BY range_from').all(identityId, dataset) as ProgressRow[];
}

function progressRow(ctx: StoreContext, identityId: string, dataset: string, rangeFrom: number): ProgressRow | undefined {
  return ctx.read('SELECT * FROM pull_progress WHERE identity_id = ? AND dataset = ? AND range_from = ?').get(identityId, dataset, rangeFrom) as
    | ProgressRow
    | undefined;
}
