import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TABLE_NAME, SYNC_KEY_ATTRIBUTE, SYNC_KEY_INDEX } from '../../../main/aws/table-schema';
import { ensureTable, startDynamoDbLocal, type RunningDynamoDbLocal } from '../../../localcloud/dynamodb/dynamodb-local';
import { javaMajorVersion } from '../../../localcloud/dynamodb/java-runtime';

const region = 'us-east-1';
const client = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });

const expectLocalCloudError = async (promise: Promise<unknown>, code: string) => {
  await expect(promise).rejects.toMatchObject({ name: 'LocalCloudError', code });
};

describe('DynamoDB Local', () => {
  let engine: RunningDynamoDbLocal;
  const scratch = mkdtempSync(join(tmpdir(), 'ddb-local-test-'));

  beforeAll(async () => {
    engine = await startDynamoDbLocal({});
  });
  afterAll(async () => {
    await engine?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and creates the table with its keys and the sync-key index, once', async () => {
    expect(engine.endpoint).toBe(`http://127.0.0.1:${engine.port}`);
    await ensureTable(engine.endpoint, region, DEFAULT_TABLE_NAME);
    await ensureTable(engine.endpoint, region, DEFAULT_TABLE_NAME);
    const { Table } = await client(engine.endpoint).send(new DescribeTableCommand({ TableName: DEFAULT_TABLE_NAME }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.LocalSecondaryIndexes?.map((index) => [index.IndexName, index.KeySchema?.[1]?.AttributeName])).toEqual([
      [SYNC_KEY_INDEX, SYNC_KEY_ATTRIBUTE],
    ]);
  });

  it('keeps its data across a restart with the same dbPath, and is gone after stop', async () => {
    const dbPath = join(scratch, 'db');
    const first = await startDynamoDbLocal({ dbPath });
    try {
      await ensureTable(first.endpoint, region, 'kept-table');
      await client(first.endpoint).send(
        new PutItemCommand({ TableName: 'kept-table', Item: { pk: { S: 'a' }, sk: { S: 'b' }, note: { S: 'still here' } } }),
      );
    } finally {
      await first.stop();
    }
    await expect(client(first.endpoint).send(new GetItemCommand({ TableName: 'kept-table', Key: { pk: { S: 'a' }, sk: { S: 'b' } } }))).rejects.toThrow();

    const second = await startDynamoDbLocal({ dbPath });
    try {
      await ensureTable(second.endpoint, region, 'kept-table');
      const { Item } = await client(second.endpoint).send(
        new GetItemCommand({ TableName: 'kept-table', Key: { pk: { S: 'a' }, sk: { S: 'b' } } }),
      );
      expect(Item?.note).toEqual({ S: 'still here' });
    } finally {
      await second.stop();
    }
  });

  it('refuses a port that is taken with PORT_IN_USE', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      await expectLocalCloudError(startDynamoDbLocal({ port }), 'PORT_IN_USE');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('says to install Java 17 when java is not on PATH', async () => {
    const savedPath = process.env.PATH;
    process.env.PATH = join(scratch, 'no-java-here');
    try {
      await expect(startDynamoDbLocal({})).rejects.toMatchObject({
        code: 'JAVA_MISSING',
        message: expect.stringContaining('apt-get install openjdk-17-jre-headless'),
      });
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it('says to install Java 17 when java is older', async () => {
    // Java 11 cannot be installed here; a program answering `-version` as Java 11 does stands in for it.
    const oldJava = join(scratch, 'java11');
    writeFileSync(oldJava, '#!/bin/sh\necho \'openjdk version "11.0.22" 2024-01-16\' >&2\n');
    chmodSync(oldJava, 0o755);
    await expectLocalCloudError(startDynamoDbLocal({ javaPath: oldJava }), 'JAVA_MISSING');
  });

  it('reports DynamoDB Local dying at start with DYNAMODB_LOCAL_FAILED and its own words', async () => {
    // The real Java and DynamoDB Local, handed an option it rejects.
    const javaWithBadOption = join(scratch, 'java-bad-option');
    writeFileSync(javaWithBadOption, '#!/bin/sh\nexec java "$@" -noSuchOption\n');
    chmodSync(javaWithBadOption, 0o755);
    await expect(startDynamoDbLocal({ javaPath: javaWithBadOption })).rejects.toMatchObject({
      code: 'DYNAMODB_LOCAL_FAILED',
      message: expect.stringContaining('Unrecognized option: -noSuchOption'),
    });
  });

  it('reads both Java version styles', () => {
    expect(javaMajorVersion('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(javaMajorVersion('java version "1.8.0_392"')).toBe(8);
    expect(javaMajorVersion('openjdk version "21" 2023-09-19')).toBe(21);
    expect(javaMajorVersion('command not found')).toBeUndefined();
  });
});
