// Sending to the user's partition: every failure becomes the app's DynamoDB error, and a Query is
// read to its last page.
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { dynamoDbFailure } from '../dynamodb-errors';
import type { Item } from './items';
import type { DatasetTable } from './types';

export async function send<T>(table: DatasetTable, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw dynamoDbFailure(error, table.context);
  }
}

/** Every page of a Query, in order. */
export async function queryAll(
  table: DatasetTable,
  input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'ExclusiveStartKey'>,
  onPage?: (items: Item[]) => void,
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await send(table, () => table.client.send(new QueryCommand({ ...input, ExclusiveStartKey: start })));
    const pageItems = page.Items ?? [];
    items.push(...pageItems);
    onPage?.(pageItems);
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}
