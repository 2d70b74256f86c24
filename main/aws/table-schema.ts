// The one description of the DynamoDB table: key names, the sync-key index, item prefixes and the
// actions a signed-in identity may use. The app, localcloud and the infra template check all read it.
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';
export const SYNC_KEY_ATTRIBUTE = 'syncKey';
export const SYNC_KEY_INDEX = 'bySyncKey';

export const DATASET_PREFIX = 'D#';
export const RECORD_PREFIX = 'R#';
/**
 * A device's own item, `DV#<deviceId>`: the name it goes by. It starts with the same letter as the
 * dataset headers, so the one Query of a sync (`begins_with(sk, HEADS_PREFIX)`) reads both, while
 * an older app's Query of `D#` never sees it.
 */
export const DEVICE_PREFIX = 'DV#';
/** What every item the one Query of a sync reads starts with: dataset headers and devices. */
export const HEADS_PREFIX = 'D';
export const SYNC_COUNT_DIGITS = 15;

/** The default table name of a profile that does not name one. DynamoDB wants at least 3 chars. */
export const DEFAULT_TABLE_NAME = 'auth0-cognito-desktop-datasets';

export function datasetSortKey(dataset: string): string {
  return `${DATASET_PREFIX}${dataset}`;
}

export function deviceSortKey(deviceId: string): string {
  return `${DEVICE_PREFIX}${deviceId}`;
}

export function recordSortKey(dataset: string, key: string): string {
  return `${RECORD_PREFIX}${dataset}#${key}`;
}

export function syncKey(dataset: string, syncCount: number): string {
  if (!Number.isSafeInteger(syncCount) || syncCount < 0) throw new RangeError(`bad sync count ${syncCount}`);
  return `${dataset}#${String(syncCount).padStart(SYNC_COUNT_DIGITS, '0')}`;
}

/** Item-level actions the authenticated role allows, always under dynamodb:LeadingKeys = identity ID. */
export const IDENTITY_ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/** Actions allowed on the table that touch no item, so carry no leading key to check. */
export const IDENTITY_TABLE_ACTIONS = ['dynamodb:DescribeTable'] as const;

/**
 * The API operations the role's policy lets through. TransactWriteItems / TransactGetItems are
 * authorised per item by the actions above (Put/Update/Delete/ConditionCheck, Get), as in IAM.
 */
export const ALLOWED_OPERATIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
  'DescribeTable',
] as const;

export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: PARTITION_KEY, AttributeType: 'S' },
      { AttributeName: SORT_KEY, AttributeType: 'S' },
      { AttributeName: SYNC_KEY_ATTRIBUTE, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: SYNC_KEY_INDEX,
        KeySchema: [
          { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
          { AttributeName: SYNC_KEY_ATTRIBUTE, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}
