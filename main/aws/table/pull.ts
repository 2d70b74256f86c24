// Pulling a dataset's changes: the records committed since the device's last sync, by their syncKey.
import { DEFAULT_LIMITS, type DatasetLimits } from '../../datasets/limits';
import { PARTITION_KEY, SYNC_COUNT_DIGITS, SYNC_KEY_ATTRIBUTE, SYNC_KEY_INDEX, syncKey } from '../table-schema';
import { recordOf, S, type Item } from './items';
import { queryPages } from './query';
import type { DatasetTable, OnMalformed, PullRange, RecordItem } from './types';
import { recordProblem } from './validation';

/**
 * Items per page of a pull, below DynamoDB's 1 MB page: four sub-ranges read at once hold four pages
 * (and the SDK's copies of them) in memory, so a smaller page is a smaller process. Measured on a
 * 100,000 × 1 KiB first pull (the engine bundled as the app runs it): 1 MB pages peaked at 264 MB
 * resident, 500-item pages at 204 MB, and were faster on DynamoDB Local. On AWS a Query is billed by the bytes read, not by the page.
 */
export const PULL_PAGE_ITEMS = 500;

/** One page of a pull: its records, and how far the range is now read. */
export interface PulledPage {
  /** The page's records of the range's generation (malformed items already told and left out). */
  records: RecordItem[];
  /**
   * Every record with a syncCount in (range.after, doneThrough] has now been read: the index is
   * ordered by syncKey, and the records of one commit share a syncCount, so a page that stops inside
   * a commit vouches only for the counts before that commit's.
   */
  doneThrough: number;
}

/**
 * The records committed in (after, through], from the bySyncKey index with consistent reads, one
 * page at a time: O(changed records), never a scan, and never more than a page in memory. The next
 * page is asked for only after `onPage` has taken this one. Each item is checked first (its sort key
 * is this dataset's, its counts are safe integers, its key and value within the limits of a local
 * write): one that is not is skipped and told to `onMalformed`.
 */
export async function pullPages(
  table: DatasetTable,
  dataset: string,
  range: PullRange,
  onPage: (page: PulledPage) => void | Promise<void>,
  onMalformed?: OnMalformed,
  limits: DatasetLimits = DEFAULT_LIMITS,
): Promise<void> {
  if (range.through <= range.after) return;
  await queryPages(
    table,
    {
      TableName: table.tableName,
      IndexName: SYNC_KEY_INDEX,
      KeyConditionExpression: '#pk = :pk AND #syncKey BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#syncKey': SYNC_KEY_ATTRIBUTE },
      ExpressionAttributeValues: {
        ':pk': S(table.identityId),
        ':from': S(syncKey(dataset, range.after + 1)),
        ':to': S(syncKey(dataset, range.through)),
      },
      ConsistentRead: true,
      Limit: PULL_PAGE_ITEMS,
    },
    async (items, lastKey) => {
      const records: RecordItem[] = [];
      for (const item of items) {
        const problem = recordProblem(dataset, item, range, limits);
        if (problem !== undefined) onMalformed?.({ dataset, kind: 'record', problem });
        else {
          const record = recordOf(dataset, item);
          if (record.generation === range.generation) records.push(record);
        }
      }
      await onPage({ records, doneThrough: lastKey === undefined ? range.through : readThrough(dataset, lastKey, range) });
    },
  );
}

/** Every record of (after, through], in memory: for the small reads that need them all at once. */
export async function pullChanges(
  table: DatasetTable,
  dataset: string,
  range: PullRange,
  onPage?: (count: number) => void,
  onMalformed?: OnMalformed,
  limits: DatasetLimits = DEFAULT_LIMITS,
): Promise<RecordItem[]> {
  const records: RecordItem[] = [];
  await pullPages(
    table,
    dataset,
    range,
    (page) => {
      records.push(...page.records);
      onPage?.(page.records.length);
    },
    onMalformed,
    limits,
  );
  return records;
}

/** The counts a page that stopped at `lastKey` vouches for (see PulledPage.doneThrough). */
function readThrough(dataset: string, lastKey: Item, range: PullRange): number {
  const key = lastKey[SYNC_KEY_ATTRIBUTE]?.S;
  const prefix = `${dataset}#`;
  const digits = key?.startsWith(prefix) ? key.slice(prefix.length) : '';
  const count = digits.length === SYNC_COUNT_DIGITS && /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
  // A key the index could not have ordered inside the range vouches for nothing.
  if (!Number.isSafeInteger(count) || count <= range.after || count > range.through) return range.after;
  return count - 1;
}
