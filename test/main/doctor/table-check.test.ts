import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { expect, test } from 'vitest';
import { createTableInput } from '../../../main/aws/table-schema';
import { tableSchemaDifferences } from '../../../main/doctor/table-check';

/** The table DynamoDB describes after creating it from the app's own schema. */
function describedAsCreated(): TableDescription {
  const input = createTableInput('datasets');
  return {
    TableName: input.TableName,
    TableStatus: 'ACTIVE',
    AttributeDefinitions: input.AttributeDefinitions,
    KeySchema: input.KeySchema,
    LocalSecondaryIndexes: input.LocalSecondaryIndexes?.map((index) => ({ ...index, IndexSizeBytes: 0, ItemCount: 0 })),
  };
}

test('a table made from the app schema has no differences', () => {
  expect(tableSchemaDifferences(describedAsCreated())).toEqual([]);
});

test('a table keyed by other attributes is named with both key schemas', () => {
  const table = {
    ...describedAsCreated(),
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' as const },
      { AttributeName: 'sk', AttributeType: 'S' as const },
      { AttributeName: 'syncKey', AttributeType: 'S' as const },
    ],
    KeySchema: [
      { AttributeName: 'id', KeyType: 'HASH' as const },
      { AttributeName: 'sk', KeyType: 'RANGE' as const },
    ],
  };
  expect(tableSchemaDifferences(table)).toContainEqual('its key schema is id (S) HASH, sk (S) RANGE; the app needs pk (S) HASH, sk (S) RANGE');
});

test('a numeric sort key is a difference even with the right names', () => {
  const table = describedAsCreated();
  table.AttributeDefinitions = table.AttributeDefinitions!.map((each) => (each.AttributeName === 'sk' ? { ...each, AttributeType: 'N' } : each));
  expect(tableSchemaDifferences(table)).toEqual(['its key schema is pk (S) HASH, sk (N) RANGE; the app needs pk (S) HASH, sk (S) RANGE']);
});

test('a table without the bySyncKey index says which index is missing and what it must be', () => {
  const table = { ...describedAsCreated(), LocalSecondaryIndexes: undefined };
  expect(tableSchemaDifferences(table)).toEqual(['it has no local secondary index bySyncKey (pk (S) HASH, syncKey (S) RANGE, projection ALL)']);
});

test('a bySyncKey index that projects only keys is a difference', () => {
  const table = describedAsCreated();
  table.LocalSecondaryIndexes = table.LocalSecondaryIndexes!.map((index) => ({ ...index, Projection: { ProjectionType: 'KEYS_ONLY' } }));
  expect(tableSchemaDifferences(table)).toEqual(['its index bySyncKey projects KEYS_ONLY; the app needs ALL']);
});
