// Pulling a dataset's changes: the records committed since the device's last sync, by their syncKey.
import { DEFAULT_LIMITS, type DatasetLimits } from '../../datasets/limits';
import { PARTITION_KEY, SYNC_KEY_ATTRIBUTE, SYNC_KEY_INDEX, syncKey } from '../table-schema';
import { recordOf, S } from './items';
import { queryAll } from './query';
import type { DatasetTable, OnMalformed, PullRange, RecordItem } from './types';
import { recordProblem } from './validation';

/**
 * The records committed in (after, through], from the bySyncKey index with consistent reads, all
 * pages: O(changed records), never a scan. `onPage` sees each page's count, for progress. Each item
 * is checked first (its sort key is this dataset's, its counts are safe integers, its key and value
 * within the limits of a local write): one that is not is skipped and told to `onMalformed`.
 */
export async function pullChanges(
  table: DatasetTable,
  dataset: string,
  range: PullRange,
  onPage?: (count: number) => void,
  onMalformed?: OnMalformed,
  limits: DatasetLimits = DEFAULT_LIMITS,
): Promise<RecordItem[]> {
  if (range.through <= range.after) return [];
  const items = await queryAll(
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
    },
    onPage && ((page) => onPage(page.length)),
  );
  const records: RecordItem[] = [];
  for (const item of items) {
    const problem = recordProblem(dataset, item, range, limits);
    if (problem !== undefined) onMalformed?.({ dataset, kind: 'record', problem });
    else {
      const record = recordOf(dataset, item);
      if (record.generation === range.generation) records.push(record);
    }
  }
  return records;
}
