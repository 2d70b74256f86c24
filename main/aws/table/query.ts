// Sending to the user's partition: every failure becomes the app's DynamoDB error, and a Query is
// read to its last page.
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { dynamoDbFailure } from '../dynamodb-errors';
import type { Item } from './items';
import type { DatasetTable } from './types';

type QueryInput = Omit<ConstructorParameters<typeof QueryCommand>[0], 'ExclusiveStartKey'>;

export async function send<T>(table: DatasetTable, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw dynamoDbFailure(error, table.context);
  }
}

/**
 * Every page of a Query, in order, each handed to `onPage` (with the key the next page starts after,
 * undefined on the last) before the next is asked for.
 */
export async function queryPages(
  table: DatasetTable,
  input: QueryInput,
  onPage: (items: Item[], lastKey: Item | undefined) => void | Promise<void>,
): Promise<void> {
  let start: Item | undefined;
  do {
    const page = await send(table, () => table.client.send(new QueryCommand({ ...input, ExclusiveStartKey: start })));
    start = page.LastEvaluatedKey;
    await onPage(page.Items ?? [], start);
  } while (start !== undefined);
}

/** Every page of a Query, in order, in memory. */
export async function queryAll(table: DatasetTable, input: QueryInput, onPage?: (items: Item[]) => void): Promise<Item[]> {
  const items: Item[] = [];
  await queryPages(table, input, (pageItems) => {
    items.push(...pageItems);
    onPage?.(pageItems);
  });
  return items;
}
