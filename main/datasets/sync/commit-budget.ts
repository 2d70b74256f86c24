// What one commit may hold. DynamoDB's limits less ONE headroom, used both where the store fills a
// batch and where the request is measured, so the two never disagree on how full a commit is.
import * as remote from '../../aws/dataset-table';

/** Room in each commit for the header item and for the size estimates' rounding. */
export const COMMIT_HEADROOM_BYTES = 64 * 1024;

/** The item bytes one commit's records may take. */
export const COMMIT_ITEM_BYTES = remote.MAX_COMMIT_BYTES - COMMIT_HEADROOM_BYTES;

export const ENGINE_COMMIT_BUDGET: remote.CommitBudget = Object.freeze({ ...remote.DEFAULT_COMMIT_BUDGET, maxItemBytes: COMMIT_ITEM_BYTES });

// Added per record when the store fills a batch, so its byte count matches the item sizes DynamoDB counts.
const ITEM_OVERHEAD_BYTES = remote.recordItemBytes('', { key: '', value: '', deviceLastModified: 0 });

/** Per record of `dataset`, what an item holds beyond its key and value. */
export function itemOverheadBytes(dataset: string): number {
  return ITEM_OVERHEAD_BYTES + 2 * Buffer.byteLength(dataset);
}
