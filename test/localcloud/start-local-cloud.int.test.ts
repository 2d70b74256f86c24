import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../localcloud/start-local-cloud';
import { loginsKey } from '../../shared/cloud-profile';
import { passwordSignIn } from '../support/password-sign-in';

const dataDir = mkdtempSync(join(tmpdir(), 'localcloud-'));
let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir });
});

afterAll(async () => {
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What the app does after sign-in: Auth0 ID token -> Cognito identity -> temporary AWS credentials. */
async function awsSession(user = 0) {
  const { username, password } = cloud.users[user]!;
  const tokens = await passwordSignIn({ issuer: cloud.issuer, clientId: cloud.clientId, username, password });
  const cognito = new CognitoIdentityClient({ region: cloud.region, endpoint: cloud.cognitoEndpoint });
  const Logins = { [loginsKey(cloud.issuer)]: tokens.id_token! };
  const { IdentityId } = await cognito.send(new GetIdCommand({ IdentityPoolId: cloud.identityPoolId, Logins }));
  const { Credentials } = await cognito.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
  const dynamodb = new DynamoDBClient({
    region: cloud.region,
    endpoint: cloud.dynamodbEndpoint,
    maxAttempts: 1,
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretKey!,
      sessionToken: Credentials!.SessionToken!,
    },
  });
  return { identityId: IdentityId!, dynamodb };
}

/** The ports DynamoDB Local children of this process listen on, read as any local process could (Linux /proc). */
function dynamoDbLocalPorts(): number[] {
  const ports: number[] = [];
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const launcher = args.findIndex((arg) => arg.endsWith('LoopbackDynamoDbLocal.java'));
      const parent = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
      if (launcher >= 0 && parent === process.pid) ports.push(Number(args[launcher + 1]));
    } catch {
      // it ended while we looked
    }
  }
  return ports;
}

const item = (identityId: string, value: string) => ({
  pk: { S: identityId },
  sk: { S: 'D#notes' },
  value: { S: value },
});

describe('the local cloud, wired together', () => {
  test('describes itself as a cloud profile on loopback addresses, with demo users', () => {
    const description = cloud.describe();
    expect(description.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(description.cognitoEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(description.dynamodbEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(description.eventsHttpEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/event$/);
    // One server, as AppSync's custom domains serve both: the same host and port.
    expect(description.eventsRealtimeEndpoint).toBe(`${description.eventsHttpEndpoint.replace(/^http/, 'ws')}/realtime`);
    expect(description.identityPoolId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    expect(description.users.map((user) => user.username)).toEqual(['alice@example.com', 'bob@example.com']);
  });

  test('an Auth0 sign-in becomes AWS credentials that can reach only the user’s own items', async () => {
    const alice = await awsSession(0);
    await alice.dynamodb.send(new PutItemCommand({ TableName: cloud.tableName, Item: item(alice.identityId, 'hello') }));
    const got = await alice.dynamodb.send(
      new GetItemCommand({ TableName: cloud.tableName, Key: { pk: { S: alice.identityId }, sk: { S: 'D#notes' } }, ConsistentRead: true }),
    );
    expect(got.Item?.value?.S).toBe('hello');

    const bob = await awsSession(1);
    expect(bob.identityId).not.toBe(alice.identityId);
    await expect(
      bob.dynamodb.send(new GetItemCommand({ TableName: cloud.tableName, Key: { pk: { S: alice.identityId }, sk: { S: 'D#notes' } } })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(bob.dynamodb.send(new ScanCommand({ TableName: cloud.tableName }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  test.skipIf(process.platform !== 'linux')('DynamoDB Local refuses a request that did not come through the gateway, which still works', async () => {
    const alice = await awsSession(0);
    await alice.dynamodb.send(new PutItemCommand({ TableName: cloud.tableName, Item: { ...item(alice.identityId, 'through the gateway'), sk: { S: 'D#direct' } } }));
    const [port] = dynamoDbLocalPorts();
    expect(port).toBeGreaterThan(0);
    // Any local process could try what the review did: a Scan with a made-up Authorization header.
    const direct = new DynamoDBClient({
      region: cloud.region,
      endpoint: `http://127.0.0.1:${port}`,
      maxAttempts: 1,
      credentials: { accessKeyId: 'madeup', secretAccessKey: 'madeup' },
    });
    await expect(direct.send(new ScanCommand({ TableName: cloud.tableName }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
    });
    const got = await alice.dynamodb.send(
      new GetItemCommand({ TableName: cloud.tableName, Key: { pk: { S: alice.identityId }, sk: { S: 'D#direct' } }, ConsistentRead: true }),
    );
    expect(got.Item?.value?.S).toBe('through the gateway');
  });

  test.skipIf(process.platform === 'win32')("keeps its data dir and DynamoDB Local's folder and database to its user alone (0700, 0600)", () => {
    const modeOf = (path: string) => statSync(path).mode & 0o777;
    const engineDir = join(dataDir, 'dynamodb');
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(engineDir)).toBe(0o700);
    const files = [
      ...readdirSync(dataDir).map((name) => join(dataDir, name)),
      ...readdirSync(engineDir).map((name) => join(engineDir, name)),
    ].filter((path) => statSync(path).isFile());
    expect(files.map((path) => path.slice(dataDir.length + 1))).toContain(join('dynamodb', 'shared-local-instance.db'));
    expect(Object.fromEntries(files.map((path) => [path.slice(dataDir.length + 1), modeOf(path).toString(8)]))).toEqual(
      Object.fromEntries(files.map((path) => [path.slice(dataDir.length + 1), '600'])),
    );
  });

  test('injected throttling reaches the app as DynamoDB’s own exception, and can be turned off', async () => {
    const alice = await awsSession(0);
    const get = () =>
      alice.dynamodb.send(new GetItemCommand({ TableName: cloud.tableName, Key: { pk: { S: alice.identityId }, sk: { S: 'D#x' } } }));
    cloud.setFaults({ throttleRate: 1 });
    await expect(get()).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    cloud.setFaults({});
    await expect(get()).resolves.toBeDefined();
  });

  test('a restart on the same data dir keeps the issuer, users, signing key, identities and items', async () => {
    const before = cloud.describe();
    const jwksBefore = await (await fetch(`${before.issuer}.well-known/jwks.json`)).json();
    const { identityId } = await awsSession(0);
    await cloud.stop();
    // Let this process's pooled HTTP connections to the old servers notice they were closed.
    await new Promise((resolve) => setTimeout(resolve, 200));

    cloud = await startLocalCloud({ dataDir });
    expect(cloud.describe()).toEqual(before);
    expect(await (await fetch(`${before.issuer}.well-known/jwks.json`)).json()).toEqual(jwksBefore);
    const again = await awsSession(0);
    expect(again.identityId).toBe(identityId);
    const got = await again.dynamodb.send(
      new GetItemCommand({ TableName: cloud.tableName, Key: { pk: { S: identityId }, sk: { S: 'D#notes' } }, ConsistentRead: true }),
    );
    expect(got.Item?.value?.S).toBe('hello');
  });
});
