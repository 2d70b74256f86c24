// Reading dataset headers: all of them in one Query (what a sync in which nothing changed costs),
// with the devices' own items (their names) in the same Query, or one header by GetItem.
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { AppError } from '../../../shared/errors';
import { DATASET_PREFIX, datasetSortKey, DEVICE_PREFIX, HEADS_PREFIX, PARTITION_KEY, SORT_KEY } from '../table-schema';
import { deviceOf, headerDataset, headerOf, readS, S } from './items';
import { queryAll, send } from './query';
import type { DatasetTable, OnMalformed, RemoteDevice, RemoteHeader } from './types';
import { deviceProblem, headerProblem } from './validation';

/** Devices' items taken from one Query at most; past that (no user has so many) they are skipped. */
export const MAX_DEVICES_READ = 200;

/** What the one Query of a sync reads of the user's partition. */
export interface PartitionHeads {
  headers: RemoteHeader[];
  devices: RemoteDevice[];
  /** Items of the Query's range that are neither a usable header nor a usable device: never taken. */
  skippedDevices: number;
}

/**
 * Every dataset header of the user and every device's name, in ONE consistent Query (more pages only
 * past 1 MB): the whole cost of a sync in which nothing changed.
 */
export async function queryHeads(table: DatasetTable, onMalformed?: OnMalformed): Promise<PartitionHeads> {
  const items = await queryAll(table, {
    TableName: table.tableName,
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
    ExpressionAttributeValues: { ':pk': S(table.identityId), ':prefix': S(HEADS_PREFIX) },
    ConsistentRead: true,
  });
  const heads: PartitionHeads = { headers: [], devices: [], skippedDevices: 0 };
  for (const item of items) {
    const sortKey = readS(item, SORT_KEY) ?? '';
    if (sortKey.startsWith(DATASET_PREFIX)) {
      const problem = headerProblem(item);
      if (problem === undefined) heads.headers.push(headerOf(item));
      else onMalformed?.({ dataset: headerDataset(item), kind: 'header', problem });
    } else if (sortKey.startsWith(DEVICE_PREFIX) && heads.devices.length < MAX_DEVICES_READ && deviceProblem(item) === undefined) {
      heads.devices.push(deviceOf(item));
    } else {
      heads.skippedDevices += 1;
    }
  }
  return heads;
}

/** Every dataset header of the user, in ONE consistent Query (see queryHeads). */
export async function queryHeaders(table: DatasetTable, onMalformed?: OnMalformed): Promise<RemoteHeader[]> {
  return (await queryHeads(table, onMalformed)).headers;
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
