// Clearing up after a deletion: the record items of generations the header has left behind.
import { TransactWriteItemsCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { dynamoDbFailure } from '../dynamodb-errors';
import { PARTITION_KEY, RECORD_PREFIX, SORT_KEY } from '../table-schema';
import { N, readN, S } from './items';
import { queryAll } from './query';
import type { DatasetTable, RemoteHeader } from './types';

/**
 * Removes the record items a deletion left behind: those of generations before the header's, or
 * all of them while the header is still deleted. Each delete is conditioned on the generation it
 * read, so a record of a recreated dataset written meanwhile is never removed; any device may run
 * it again. Returns how many items it removed.
 */
export async function purgeDeletedRecords(table: DatasetTable, header: RemoteHeader): Promise<number> {
  const stale = (generation: number) => (header.deleted ? generation <= header.generation : generation < header.generation);
  const items = await queryAll(table, {
    TableName: table.tableName,
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ProjectionExpression: '#pk, #sk, #generation',
    ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY, '#generation': 'generation' },
    ExpressionAttributeValues: { ':pk': S(table.identityId), ':prefix': S(`${RECORD_PREFIX}${header.dataset}#`) },
    ConsistentRead: true,
  });
  const doomed = items.filter((item) => stale(readN(item, 'generation')));
  let removed = 0;
  for (let start = 0; start < doomed.length; start += 100) {
    const batch = doomed.slice(start, start + 100);
    const deletes: TransactWriteItem[] = batch.map((item) => ({
      Delete: {
        TableName: table.tableName,
        Key: { [PARTITION_KEY]: item[PARTITION_KEY]!, [SORT_KEY]: item[SORT_KEY]! },
        ConditionExpression: '#generation = :generation',
        ExpressionAttributeNames: { '#generation': 'generation' },
        ExpressionAttributeValues: { ':generation': N(readN(item, 'generation')) },
      },
    }));
    try {
      await table.client.send(new TransactWriteItemsCommand({ TransactItems: deletes }));
      removed += batch.length;
    } catch (error) {
      // Someone changed an item of this batch meanwhile: the batch is left for the next purge.
      if ((error as { name?: string }).name !== 'TransactionCanceledException') throw dynamoDbFailure(error, table.context);
    }
  }
  return removed;
}
