import { Sha256 } from '@aws-crypto/sha256-js';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTableInput, recordSortKey, syncKey, SYNC_KEY_INDEX } from '../../../main/aws/table-schema';
import { ensureTable, startDynamoDbLocal, type RunningDynamoDbLocal } from '../../../localcloud/dynamodb/dynamodb-local';
import { startGateway, type CredentialLookup, type RunningGateway } from '../../../localcloud/dynamodb/gateway';

const region = 'us-east-1';
const accountId = '123456789012';
const roleName = 'localcloud-authenticated';
const tableName = 'gateway-test-table';
const hour = 60 * 60 * 1000;

interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  identityId: string;
  expiration: number;
}

const alice: TestCredentials = {
  accessKeyId: 'ASIAALICE00000000001',
  secretAccessKey: 'alice-secret-0123456789012345678901234567',
  sessionToken: 'alice-session-token',
  identityId: 'us-east-1:11111111-1111-4111-8111-111111111111',
  expiration: Date.now() + hour,
};
const bob: TestCredentials = {
  accessKeyId: 'ASIABOB0000000000002',
  secretAccessKey: 'bob-secret-01234567890123456789012345678901',
  sessionToken: 'bob-session-token',
  identityId: 'us-east-1:22222222-2222-4222-8222-222222222222',
  expiration: Date.now() + hour,
};
const expired: TestCredentials = {
  accessKeyId: 'ASIAEXPIRED000000003',
  secretAccessKey: 'expired-secret-012345678901234567890123456',
  sessionToken: 'expired-session-token',
  identityId: 'us-east-1:33333333-3333-4333-8333-333333333333',
  expiration: Date.now() - 1000,
};

const issued = new Map([alice, bob, expired].map((credentials) => [credentials.accessKeyId, credentials]));
const credentials: CredentialLookup = { lookup: (accessKeyId) => issued.get(accessKeyId) };

describe('DynamoDB gateway', () => {
  let engine: RunningDynamoDbLocal;
  let gateway: RunningGateway;
  let clockOffset = 0;
  let nextRandom: () => number = Math.random;

  const dynamo = (who: TestCredentials, overrides: Partial<TestCredentials> = {}) => {
    const { accessKeyId, secretAccessKey, sessionToken } = { ...who, ...overrides };
    return new DynamoDBClient({
      endpoint: gateway.endpoint,
      region,
      credentials: { accessKeyId, secretAccessKey, sessionToken },
      maxAttempts: 1,
    });
  };
  const key = (who: TestCredentials, sortKey: string) => ({ pk: { S: who.identityId }, sk: { S: sortKey } });
  const item = (who: TestCredentials, sortKey: string, extra: Record<string, { S: string }> = {}) => ({
    ...key(who, sortKey),
    ...extra,
  });
  const deniedMessage = (action: string, resource = `table/${tableName}`) =>
    `User: arn:aws:sts::${accountId}:assumed-role/${roleName}/CognitoIdentityCredentials is not authorized to perform: dynamodb:${action} on resource: arn:aws:dynamodb:${region}:${accountId}:${resource} because no identity-based policy allows the dynamodb:${action} action`;

  /** A request signed as the SDK would, to be altered before it is sent with fetch. */
  const signedRequest = async (who: TestCredentials, target: string, body: string, unsignableHeaders?: Set<string>) => {
    const url = new URL(gateway.endpoint);
    const signer = new SignatureV4({
      credentials: { accessKeyId: who.accessKeyId, secretAccessKey: who.secretAccessKey, sessionToken: who.sessionToken },
      region,
      service: 'dynamodb',
      sha256: Sha256,
      applyChecksum: false,
    });
    const request = await signer.sign(
      new HttpRequest({
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        headers: {
          host: url.host,
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `DynamoDB_20120810.${target}`,
        },
        body,
      }),
      { unsignableHeaders },
    );
    return { headers: request.headers, body };
  };
  const send = async (request: { headers: Record<string, string>; body: string }) => {
    const response = await fetch(gateway.endpoint, { method: 'POST', headers: request.headers, body: request.body });
    return { status: response.status, json: (await response.json()) as { __type?: string; message?: string; Item?: unknown } };
  };

  beforeAll(async () => {
    engine = await startDynamoDbLocal({});
    await ensureTable(engine, region, tableName);
    gateway = await startGateway({
      upstream: engine.endpoint,
      upstreamSecret: engine.secret,
      region,
      tableName,
      accountId,
      roleName,
      credentials,
      now: () => Date.now() + clockOffset,
      random: () => nextRandom(),
    });
  });
  afterEach(() => {
    gateway.setFaults({});
    clockOffset = 0;
    nextRandom = Math.random;
  });
  afterAll(async () => {
    await gateway?.stop();
    await engine?.stop();
  });

  it('lets an identity put, get and query its own items, through the sync-key index too', async () => {
    const client = dynamo(alice);
    await client.send(new PutItemCommand({ TableName: tableName, Item: item(alice, recordSortKey('notes', 'a'), { syncKey: { S: syncKey('notes', 1) } }) }));
    await client.send(new PutItemCommand({ TableName: tableName, Item: item(alice, recordSortKey('notes', 'b'), { syncKey: { S: syncKey('notes', 2) } }) }));
    const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key(alice, recordSortKey('notes', 'a')) }));
    expect(Item?.syncKey).toEqual({ S: syncKey('notes', 1) });

    const byKey = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#p = :me AND begins_with(sk, :prefix)',
        ExpressionAttributeNames: { '#p': 'pk' },
        ExpressionAttributeValues: { ':me': { S: alice.identityId }, ':prefix': { S: recordSortKey('notes', '') } },
      }),
    );
    expect(byKey.Items?.map((found) => found.sk?.S)).toEqual([recordSortKey('notes', 'a'), recordSortKey('notes', 'b')]);

    const changedSince = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: SYNC_KEY_INDEX,
        KeyConditionExpression: 'pk = :me AND syncKey > :since',
        ExpressionAttributeValues: { ':me': { S: alice.identityId }, ':since': { S: syncKey('notes', 1) } },
      }),
    );
    expect(changedSince.Items?.map((found) => found.sk?.S)).toEqual([recordSortKey('notes', 'b')]);

    const batch = await client.send(
      new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: [key(alice, recordSortKey('notes', 'a'))] } } }),
    );
    expect(batch.Responses?.[tableName]?.map((found) => found.sk?.S)).toEqual([recordSortKey('notes', 'a')]);
    const transaction = await client.send(
      new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: tableName, Key: key(alice, recordSortKey('notes', 'b')) } }] }),
    );
    expect(transaction.Responses?.[0]?.Item?.sk).toEqual({ S: recordSortKey('notes', 'b') });

    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.KeySchema).toEqual(createTableInput(tableName).KeySchema);
  });

  it('reports a failed condition in a transaction as TransactionCanceledException with its reason', async () => {
    const client = dynamo(alice);
    await client.send(new PutItemCommand({ TableName: tableName, Item: item(alice, 'D#tx') }));
    const failure = await client
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: tableName, Item: item(alice, 'D#tx'), ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: tableName, Item: item(alice, 'D#tx-other') } },
          ],
        }),
      )
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TransactionCanceledException);
    expect((failure as TransactionCanceledException).CancellationReasons?.map((reason) => reason.Code)).toEqual([
      'ConditionalCheckFailed',
      'None',
    ]);
    const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key(alice, 'D#tx-other') }));
    expect(Item).toBeUndefined();
  });

  it("refuses every touch of another identity's items with AccessDeniedException", async () => {
    await dynamo(bob).send(new PutItemCommand({ TableName: tableName, Item: item(bob, 'D#private', { secret: { S: 'bob only' } }) }));
    const client = dynamo(alice);
    const refusal = (action: string) => ({ name: 'AccessDeniedException', message: deniedMessage(action) });

    await expect(client.send(new GetItemCommand({ TableName: tableName, Key: key(bob, 'D#private') }))).rejects.toMatchObject(
      refusal('GetItem'),
    );
    await expect(client.send(new PutItemCommand({ TableName: tableName, Item: item(bob, 'D#planted') }))).rejects.toMatchObject(
      refusal('PutItem'),
    );
    await expect(
      client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :them',
          ExpressionAttributeValues: { ':them': { S: bob.identityId } },
        }),
      ),
    ).rejects.toMatchObject(refusal('Query'));
    await expect(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: tableName, Item: item(alice, 'D#mine') } },
            { Delete: { TableName: tableName, Key: key(bob, 'D#private') } },
          ],
        }),
      ),
    ).rejects.toMatchObject(refusal('DeleteItem'));
    await expect(
      client.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [tableName]: [{ PutRequest: { Item: item(alice, 'D#batch') } }, { DeleteRequest: { Key: key(bob, 'D#private') } }],
          },
        }),
      ),
    ).rejects.toMatchObject(refusal('BatchWriteItem'));
    await expect(
      client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: [key(alice, 'D#tx'), key(bob, 'D#private')] } } })),
    ).rejects.toMatchObject(refusal('BatchGetItem'));
    await expect(
      client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: tableName, Key: key(bob, 'D#private') } }] })),
    ).rejects.toMatchObject(refusal('GetItem'));

    const { Item } = await dynamo(bob).send(new GetItemCommand({ TableName: tableName, Key: key(bob, 'D#private') }));
    expect(Item?.secret).toEqual({ S: 'bob only' });
    const mine = await client.send(new GetItemCommand({ TableName: tableName, Key: key(alice, 'D#mine') }));
    expect(mine.Item).toBeUndefined();
  });

  it('refuses a Query that names no partition, or the index of another identity', async () => {
    const client = dynamo(alice);
    await expect(
      client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk > :anything',
          ExpressionAttributeValues: { ':anything': { S: '' } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException', message: deniedMessage('Query') });
    await expect(
      client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: SYNC_KEY_INDEX,
          KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: bob.identityId }] } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException', message: deniedMessage('Query', `table/${tableName}/index/${SYNC_KEY_INDEX}`) });
  });

  it('refuses Scan, CreateTable, DeleteTable and ListTables, and the table stays', async () => {
    const client = dynamo(alice);
    await expect(client.send(new ScanCommand({ TableName: tableName }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: deniedMessage('Scan'),
    });
    await expect(client.send(new CreateTableCommand(createTableInput('another-table')))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: deniedMessage('CreateTable', 'table/another-table'),
    });
    await expect(client.send(new DeleteTableCommand({ TableName: tableName }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: deniedMessage('DeleteTable'),
    });
    await expect(client.send(new ListTablesCommand({}))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: deniedMessage('ListTables', 'table/*'),
    });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
  });

  it('refuses an unsigned request', async () => {
    const response = await fetch(gateway.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' },
      body: JSON.stringify({ TableName: tableName, Key: key(alice, 'D#tx') }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
  });

  it('refuses a wrong secret, an unknown key, a wrong session token and expired credentials', async () => {
    const get = new GetItemCommand({ TableName: tableName, Key: key(alice, 'D#tx') });
    await expect(dynamo(alice, { secretAccessKey: 'not-alices-secret-0123456789012345678901' }).send(get)).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    });
    await expect(dynamo(alice, { accessKeyId: 'ASIAUNKNOWN000000000' }).send(get)).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    await expect(dynamo(alice, { sessionToken: bob.sessionToken }).send(get)).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
    await expect(dynamo(expired).send(get)).rejects.toMatchObject({
      name: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    });
  });

  it('refuses a body changed after signing, and a payload hash that does not match the body', async () => {
    const signed = await signedRequest(alice, 'GetItem', JSON.stringify({ TableName: tableName, Key: key(alice, 'D#tx') }));
    expect((await send(signed)).status).toBe(200);

    const tampered = await send({ ...signed, body: JSON.stringify({ TableName: tableName, Key: key(bob, 'D#private') }) });
    expect(tampered.json.__type).toBe('com.amazon.coral.service#InvalidSignatureException');

    const unsignedPayload = await signedRequest(alice, 'GetItem', '{}');
    const claimed = await send({
      headers: { ...unsignedPayload.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      body: JSON.stringify({ TableName: tableName, Key: key(bob, 'D#private') }),
    });
    expect(claimed.json.__type).toBe('com.amazon.coral.service#InvalidSignatureException');
  });

  it('refuses a signature that leaves the operation, the content type or an x-amz-* header unsigned, so a captured GetItem cannot become a DeleteItem', async () => {
    await dynamo(alice).send(new PutItemCommand({ TableName: tableName, Item: item(alice, 'D#replayed') }));
    const getBody = JSON.stringify({ TableName: tableName, Key: key(alice, 'D#replayed') });
    const captured = await signedRequest(alice, 'GetItem', getBody, new Set(['x-amz-target']));
    const replayed = await send({ ...captured, headers: { ...captured.headers, 'x-amz-target': 'DynamoDB_20120810.DeleteItem' } });
    expect(replayed).toEqual({
      status: 400,
      json: {
        __type: 'com.amazon.coral.service#InvalidSignatureException',
        message: "'x-amz-target' must be a 'SignedHeader' in the AWS Authorization.",
      },
    });
    const { Item } = await dynamo(alice).send(new GetItemCommand({ TableName: tableName, Key: key(alice, 'D#replayed') }));
    expect(Item).toBeDefined();

    const noContentType = await send(await signedRequest(alice, 'GetItem', getBody, new Set(['content-type'])));
    expect(noContentType.json.message).toBe("'content-type' must be a 'SignedHeader' in the AWS Authorization.");
    const noSessionToken = await send(await signedRequest(alice, 'GetItem', getBody, new Set(['x-amz-security-token'])));
    expect(noSessionToken.json.message).toBe("'x-amz-security-token' must be a 'SignedHeader' in the AWS Authorization.");
    const extra = await signedRequest(alice, 'GetItem', getBody);
    const withUnsignedExtra = await send({ ...extra, headers: { ...extra.headers, 'x-amz-meta-note': 'added later' } });
    expect(withUnsignedExtra.json.message).toBe("'x-amz-meta-note' must be a 'SignedHeader' in the AWS Authorization.");
  });

  it('judges a duplicated JSON member as DynamoDB Local reads it (the last one)', async () => {
    const own = JSON.stringify(key(alice, 'D#tx'));
    const theirs = JSON.stringify(key(bob, 'D#private'));
    const smuggled = await send(await signedRequest(alice, 'GetItem', `{"TableName":"${tableName}","Key":${own},"Key":${theirs}}`));
    expect(smuggled.json.__type).toBe('com.amazon.coral.service#AccessDeniedException');

    const harmless = await send(await signedRequest(alice, 'GetItem', `{"TableName":"${tableName}","Key":${theirs},"Key":${own}}`));
    expect(harmless.status).toBe(200);
    expect(harmless.json.Item).toMatchObject({ pk: { S: alice.identityId } });
  });

  it('refuses a signature dated more than 15 minutes away from its clock', async () => {
    clockOffset = 20 * 60 * 1000;
    await expect(dynamo(alice).send(new GetItemCommand({ TableName: tableName, Key: key(alice, 'D#tx') }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      message: expect.stringMatching(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/),
    });
  });

  it('lets a client with a skewed clock recover from the Date it answers with, as AWS does', async () => {
    clockOffset = 20 * 60 * 1000;
    const client = new DynamoDBClient({
      endpoint: gateway.endpoint,
      region,
      credentials: { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey, sessionToken: alice.sessionToken },
      maxAttempts: 2,
    });
    const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key(alice, 'D#tx') }));
    expect(Item?.sk).toEqual({ S: 'D#tx' });
  });

  it('throttles, fails with 500 and slows down when told to', async () => {
    const get = new GetItemCommand({ TableName: tableName, Key: key(alice, 'D#tx') });
    gateway.setFaults({ throttleRate: 1 });
    await expect(dynamo(alice).send(get)).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
      $metadata: { httpStatusCode: 400 },
    });

    gateway.setFaults({ serverErrorRate: 1 });
    await expect(dynamo(alice).send(get)).rejects.toMatchObject({ name: 'InternalServerError', $metadata: { httpStatusCode: 500 } });

    gateway.setFaults({ latencyMs: 400 });
    const started = performance.now();
    await dynamo(alice).send(get);
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);

    gateway.setFaults({});
    const quick = performance.now();
    await dynamo(alice).send(get);
    expect(performance.now() - quick).toBeLessThan(400);
  });

  it('throttles exactly the share of requests its random source decides', async () => {
    const get = new GetItemCommand({ TableName: tableName, Key: key(alice, 'D#tx') });
    gateway.setFaults({ throttleRate: 0.5 });
    nextRandom = () => 0.49;
    await expect(dynamo(alice).send(get)).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    nextRandom = () => 0.5;
    const { Item } = await dynamo(alice).send(get);
    expect(Item?.sk).toEqual({ S: 'D#tx' });
  });

  it('does not throttle requests it refuses anyway', async () => {
    gateway.setFaults({ throttleRate: 1 });
    await expect(dynamo(alice).send(new ScanCommand({ TableName: tableName }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
