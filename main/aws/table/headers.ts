// Reading dataset headers: all of them in one Query (what a sync in which nothing changed costs),
// or one by GetItem.
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { AppError } from '../../../shared/errors';
import { DATASET_PREFIX, datasetSortKey, PARTITION_KEY, SORT_KEY } from '../table-schema';
import { headerDataset, headerOf, S } from './items';
import { queryAll, send } from './query';
import type { DatasetTable, OnMalformed, RemoteHeader } from './types';
import { headerProblem } from './validation';

/**
 * Every dataset header of the user, in ONE consistent Query (more pages only past 1 MB of headers):
 * the whole cost of a sync in which nothing changed.
 */
export async function queryHeaders(table: DatasetTable, onMalformed?: OnMalformed): Promise<RemoteHeader[]> {
  const items = await queryAll(table, {
    TableName: table.tableName,
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
    ExpressionAttributeValues: { ':pk': S(table.identityId), ':prefix': S(DATASET_PREFIX) },
    ConsistentRead: true,
  });
  const headers: RemoteHeader[] = [];
  for (const item of items) {
    const problem = headerProblem(item);
    if (problem === undefined) headers.push(headerOf(item));
    else onMalformed?.({ dataset: headerDataset(item), kind: 'header', problem });
  }
  return headers;
}

/** The header of a dataset whose header item is malformed: nothing about the dataset can be trusted. */
export function remoteDamaged(): AppError {
  return new AppError(
    'SYNC_REMOTE_DAMAGED',
    "The cloud copy of this dataset has a damaged header (not written by this app as it should be), so this device leaves it alone. Your changes here are kept. Delete the dataset on this device to stop syncing it, or have an administrator repair or remove the header.",
  );
}

/** SYNC_REMOTE_DAMAGED when the header item is malformed. */
export async function getHeader(table: DatasetTable, dataset: string): Promise<RemoteHeader | undefined> {
  const answer = await send(table, () =>
    table.client.send(
      new GetItemCommand({
        TableName: table.tableName,
        Key: { [PARTITION_KEY]: S(table.identityId), [SORT_KEY]: S(datasetSortKey(dataset)) },
        ConsistentRead: true,
      }),
    ),
  );
  if (answer.Item === undefined) return undefined;
  if (headerProblem(answer.Item) !== undefined) throw remoteDamaged();
  return headerOf(answer.Item);
}
