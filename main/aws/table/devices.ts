// A device's own item in the user's partition (docs/sync-protocol.md, "Device names"): the name it
// goes by, written by that device alone when the name it tells changes. Read with the headers
// (headers.ts, queryHeads).
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { deviceSortKey, PARTITION_KEY, SORT_KEY } from '../table-schema';
import { N, S } from './items';
import { send } from './query';
import type { DatasetTable, RemoteDevice } from './types';

/** One PutItem: this device's name, and since when. */
export async function putDevice(table: DatasetTable, device: RemoteDevice): Promise<void> {
  await send(table, () =>
    table.client.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: {
          [PARTITION_KEY]: S(table.identityId),
          [SORT_KEY]: S(deviceSortKey(device.id)),
          name: S(device.name),
          renamedAt: N(device.renamedAt),
        },
      }),
    ),
  );
}
