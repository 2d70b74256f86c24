// How many records go in one commit. A TransactWriteItems is bounded three ways — 100 items, 4 MB
// of items as DynamoDB counts them, 16 MB of request as the SDK sends it (JSON) — so the changes
// are cut into commits by over-estimates of each, and the service's own refusal is the backstop.
import { recordSortKey, SYNC_COUNT_DIGITS } from '../table-schema';
import type { RecordChange } from './types';

/** One header item per commit leaves 99 records for a TransactWriteItems of 100 items. */
export const MAX_COMMIT_RECORDS = 99;
/** DynamoDB's limit on a transaction's total item size, "4 MB" (DynamoDB Local counts it in decimal). */
export const MAX_COMMIT_BYTES = 4_000_000;
// Room in each commit for the header item and for the size estimate's rounding.
const COMMIT_HEADROOM_BYTES = 16 * 1024;
/**
 * DynamoDB's limit on a request as sent. The SDK sends JSON, in which a control character takes six
 * bytes (`\u0001`) and a quote or a backslash two: 4 MB of items can be 24 MB of request.
 */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
// Room in each request for the header item, the envelope and the names.
const REQUEST_HEADROOM_BYTES = 256 * 1024;
// A record's Put in the request, less its key, syncKey and value: attribute names, the table name
// (at most 255), the identity ID, the device ID and the numbers, with room to spare.
const PUT_OVERHEAD_BYTES = 1024;

/** What one commit may hold: records, their item bytes as DynamoDB counts them, and the request as sent. */
export interface CommitBudget {
  maxRecords: number;
  maxItemBytes: number;
  maxRequestBytes: number;
}

export const DEFAULT_COMMIT_BUDGET: CommitBudget = Object.freeze({
  maxRecords: MAX_COMMIT_RECORDS,
  maxItemBytes: MAX_COMMIT_BYTES - COMMIT_HEADROOM_BYTES,
  maxRequestBytes: MAX_REQUEST_BYTES - REQUEST_HEADROOM_BYTES,
});

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** An over-estimate of the record item's size as DynamoDB counts it (names and values). */
export function recordItemBytes(dataset: string, change: RecordChange): number {
  const names = 'pksksyncKeyvaluedeletedsyncCountgenerationlastModifiedlastModifiedBydeviceLastModified'.length;
  return names + 2 * utf8Bytes(recordSortKey(dataset, change.key)) + utf8Bytes(change.value ?? '') + 256;
}

/** Bytes of `text` as a JSON string, quotes included: what the SDK sends for it. */
export function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text), 'utf8');
}

/** An over-estimate of the record's Put in the TransactWriteItems request, as the SDK sends it (JSON). */
export function recordRequestBytes(dataset: string, change: RecordChange): number {
  // The syncKey is the dataset name (ASCII) and a zero-padded count.
  const syncKeyBytes = dataset.length + 1 + SYNC_COUNT_DIGITS + 2;
  return PUT_OVERHEAD_BYTES + jsonBytes(recordSortKey(dataset, change.key)) + syncKeyBytes + (change.value === undefined ? 0 : jsonBytes(change.value));
}

/**
 * How many of `changes`, from the first, go in one commit within `budget` — always at least one (a
 * single record is within every limit the store enforces).
 */
export function commitPrefix(dataset: string, changes: readonly RecordChange[], budget: CommitBudget = DEFAULT_COMMIT_BUDGET): number {
  let itemBytes = 0;
  let requestBytes = 0;
  let count = 0;
  for (const change of changes) {
    itemBytes += recordItemBytes(dataset, change);
    requestBytes += recordRequestBytes(dataset, change);
    if (count > 0 && (count >= budget.maxRecords || itemBytes > budget.maxItemBytes || requestBytes > budget.maxRequestBytes)) break;
    count += 1;
  }
  return count;
}

/** The changes in commits of at most 99 records, 4 MB of items and 16 MB of request, in the given order. */
export function splitIntoCommits(dataset: string, changes: RecordChange[], budget: CommitBudget = DEFAULT_COMMIT_BUDGET): RecordChange[][] {
  const commits: RecordChange[][] = [];
  for (let start = 0; start < changes.length; ) {
    const count = commitPrefix(dataset, changes.slice(start, start + budget.maxRecords + 1), budget);
    commits.push(changes.slice(start, start + count));
    start += count;
  }
  return commits;
}
