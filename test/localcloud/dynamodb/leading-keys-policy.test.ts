import { describe, expect, it } from 'vitest';
import { authorize } from '../../../localcloud/dynamodb/leading-keys-policy';
import { deviceSortKey, HEADS_PREFIX } from '../../../main/aws/table-schema';

const scope = { tableName: 'datasets', identityId: 'us-east-1:me' };
const mine = { S: scope.identityId };
const theirs = { S: 'us-east-1:someone-else' };
const query = (KeyConditionExpression: string, values: Record<string, unknown>, names?: Record<string, string>) => ({
  TableName: scope.tableName,
  KeyConditionExpression,
  ExpressionAttributeValues: values,
  ...(names ? { ExpressionAttributeNames: names } : {}),
});

describe('the authenticated role policy', () => {
  it('allows a Query on the own partition however the equality is written', () => {
    expect(authorize('Query', query('pk = :me', { ':me': mine }), scope)).toBeUndefined();
    expect(authorize('Query', query(':me = pk', { ':me': mine }), scope)).toBeUndefined();
    expect(authorize('Query', query('(pk=:me) AND sk > :s', { ':me': mine, ':s': { S: 'R#' } }), scope)).toBeUndefined();
    expect(authorize('Query', query('#k = :me', { ':me': mine }, { '#k': 'pk' }), scope)).toBeUndefined();
  });

  it('refuses a Query that names another partition anywhere, or none by equality', () => {
    expect(authorize('Query', query('pk = :me AND pk = :them', { ':me': mine, ':them': theirs }), scope)?.action).toBe('dynamodb:Query');
    expect(authorize('Query', query('a.pk = :me', { ':me': mine }), scope)?.action).toBe('dynamodb:Query');
    expect(authorize('Query', query('begins_with(pk, :me)', { ':me': mine }), scope)?.action).toBe('dynamodb:Query');
    expect(authorize('Query', query('pk = :missing', {}), scope)?.action).toBe('dynamodb:Query');
  });

  it('allows a Query of the own partition on the bySyncKey index, and refuses one on any other index, as the template names only that one', () => {
    expect(authorize('Query', { ...query('pk = :me', { ':me': mine }), IndexName: 'bySyncKey' }, scope)).toBeUndefined();
    expect(authorize('Query', { ...query('pk = :me', { ':me': mine }), IndexName: 'byOther' }, scope)).toEqual({
      action: 'dynamodb:Query',
      tableName: scope.tableName,
      indexName: 'byOther',
    });
  });

  it("lets a device write its name item and read it with the headers in its own partition only, as any item", () => {
    const named = (pk: unknown) => ({ TableName: scope.tableName, Item: { pk, sk: { S: deviceSortKey('device-1') }, name: { S: 'Laptop' }, renamedAt: { N: '1' } } });
    expect(authorize('PutItem', named(mine), scope)).toBeUndefined();
    expect(authorize('PutItem', named(theirs), scope)?.action).toBe('dynamodb:PutItem');
    const heads = (pk: unknown) => query('#pk = :pk AND begins_with(#sk, :prefix)', { ':pk': pk, ':prefix': { S: HEADS_PREFIX } }, { '#pk': 'pk', '#sk': 'sk' });
    expect(authorize('Query', heads(mine), scope)).toBeUndefined();
    expect(authorize('Query', heads(theirs), scope)?.action).toBe('dynamodb:Query');
  });

  it('refuses a partition key that carries a second type beside the identity', () => {
    expect(authorize('GetItem', { TableName: scope.tableName, Key: { pk: { ...mine, N: '1' } } }, scope)?.action).toBe('dynamodb:GetItem');
  });

  it('refuses a batch write entry that smuggles a second request', () => {
    const entry = { PutRequest: { Item: { pk: mine } }, DeleteRequest: { Key: { pk: theirs } } };
    expect(authorize('BatchWriteItem', { RequestItems: { [scope.tableName]: [entry] } }, scope)?.action).toBe('dynamodb:BatchWriteItem');
  });

  it('refuses transaction items of unknown kinds, even inherited names', () => {
    for (const kind of ['constructor', '__proto__', 'Scan']) {
      const input = JSON.parse(`{"TransactItems":[{"${kind}":{"TableName":"datasets","Key":{"pk":{"S":"us-east-1:me"}}}}]}`) as Record<string, unknown>;
      expect(authorize('TransactWriteItems', input, scope)?.action).toBe('dynamodb:TransactWriteItems');
    }
  });

  it('refuses every item action on another table', () => {
    expect(authorize('GetItem', { TableName: 'other', Key: { pk: mine } }, scope)).toEqual({ action: 'dynamodb:GetItem', tableName: 'other' });
    expect(authorize('BatchGetItem', { RequestItems: { other: { Keys: [{ pk: mine }] } } }, scope)).toEqual({
      action: 'dynamodb:BatchGetItem',
      tableName: 'other',
    });
  });
});
