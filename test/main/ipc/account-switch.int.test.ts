// Switching accounts in one running app (issue 12, item 2), through the bridge of the composed app
// against the local cloud: A signs in and syncs, signs out keeping the local copy, B signs in in the
// same run and syncs B's own datasets, then A again. Every sync succeeds, each sees only its own
// datasets, nothing is signed with the other's credentials, and signed out the app sends nothing.
//
// The app reaches Cognito and DynamoDB through a recording proxy (requests pass unchanged, so the
// gateway still checks each signature): it sees refused requests, which the gateway's counts leave
// out, and which identity's credentials signed each DynamoDB request (the access key Cognito issued
// for that identity, read from its GetCredentialsForIdentity answers).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../localcloud/start-local-cloud';
import { createApp, type App } from '../../../main/app';
import { DEFAULT_CHANGE_DEBOUNCE_MS } from '../../../main/datasets/sync/sync-scheduler';
import { createEventHub } from '../../../main/ipc/event-hub';
import type { CommandInput, CommandName, CommandOutput } from '../../../shared/ipc-contract';
import { signInCloudUser } from '../../support/cloud-user';
import { openSyncDevice, remoteRecords, requestsOf, type SyncDevice } from '../../support/sync-device';
import { launchSystemBrowser, logInAndReturn, testPlatform, type TestPlatform } from '../../support/system-browser';
import { profileFor } from '../../support/test-app';

interface Seen {
  service: 'cognito' | 'dynamodb';
  operation: string;
  status: number;
  /** DynamoDB: the identity whose credentials signed the request (undefined: keys Cognito never issued here). */
  signedFor?: string;
}

interface RecordingProxy {
  endpoint: string;
  close(): Promise<void>;
}

let root: string;
let cloud: LocalCloud;
let browser: Browser;
let platform: TestPlatform;
let app: App;
let proxies: RecordingProxy[] = [];
let otherDeviceOfB: SyncDevice;
let identityA: string;
let identityB: string;
let seen: Seen[] = [];
/** Access key ID → identity ID, from every GetCredentialsForIdentity answer the app received. */
const issuedTo = new Map<string, string>();
/** Who logs in when the app opens the system browser on an authorization URL. */
let who = 0;

/** Forwards to `target` unchanged (the Host header too, which the signature covers) and records each exchange. */
async function recordingProxy(service: Seen['service'], target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const server = http.createServer((request, response) => {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
    const accessKey = /Credential=([^/]+)\//.exec(String(request.headers.authorization ?? ''))?.[1];
    const outgoing = http.request(
      { hostname: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.once('end', () => {
          const body = Buffer.concat(chunks);
          const status = answer.statusCode ?? 502;
          if (operation === 'GetCredentialsForIdentity' && status === 200) {
            const issued = JSON.parse(body.toString('utf8')) as { IdentityId: string; Credentials: { AccessKeyId: string } };
            issuedTo.set(issued.Credentials.AccessKeyId, issued.IdentityId);
          }
          seen.push({ service, operation, status, ...(service === 'dynamodb' ? { signedFor: issuedTo.get(accessKey ?? '') } : {}) });
          const { 'transfer-encoding': _chunked, ...headers } = answer.headers;
          response.writeHead(status, { ...headers, 'content-length': body.length });
          response.end(body);
        });
      },
    );
    outgoing.once('error', () => response.destroy());
    request.pipe(outgoing);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'account-switch-'));
  [cloud, browser] = await Promise.all([startLocalCloud({ inMemory: true }), launchSystemBrowser()]);

  // B's dataset, made on B's other computer before this app ever sees B.
  otherDeviceOfB = await openSyncDevice(await signInCloudUser(cloud, root, 1), root);
  identityB = otherDeviceOfB.identityId;
  otherDeviceOfB.store.openOrCreate(identityB, 'b-notes');
  otherDeviceOfB.store.put(identityB, 'b-notes', 'greeting', 'hello from B');
  await otherDeviceOfB.engine.syncAll();

  proxies = [await recordingProxy('cognito', cloud.cognitoEndpoint), await recordingProxy('dynamodb', cloud.dynamodbEndpoint)];
  const [cognito, dynamodb] = proxies;
  platform = testPlatform(join(root, 'profile'));
  // Authorization URLs only: the IdP logout page a sign-out opens is left alone.
  platform.onOpen = async (url) => {
    if (new URL(url).searchParams.has('redirect_uri')) await logInAndReturn(browser, url, cloud.users[who]!);
  };
  const profile = profileFor(cloud, { cognitoEndpoint: cognito!.endpoint, dynamodbEndpoint: dynamodb!.endpoint });
  app = await createApp({ profile, platform, hub: createEventHub() });
});

afterAll(async () => {
  await app?.stop();
  for (const proxy of proxies) await proxy.close();
  otherDeviceOfB?.close();
  await browser?.close();
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

/** A command through the bridge that must succeed; its value. */
async function ok<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
  const result = await app.router.dispatch(command, input);
  if (!result.ok) throw new Error(`${command} failed: ${result.error.code}: ${result.error.message}`);
  return result.value as CommandOutput<C>;
}

async function signInAs(user: number): Promise<void> {
  who = user;
  expect(await ok('session.signIn', {})).toMatchObject({ state: 'signedIn' });
  await platform.browserSettled();
}

/** "Sync now", and its status: no error, nothing left to send, no dataset in error. */
async function syncSucceeds(): Promise<void> {
  const status = await ok('sync.now', {});
  expect(status.error).toBeUndefined();
  expect(status.datasets.filter((dataset) => dataset.error !== undefined)).toEqual([]);
  expect(status).toMatchObject({ state: 'synced', pendingChanges: 0 });
  expect((await ok('sync.status', {})).error).toBeUndefined();
}

const datasetNames = async () => (await ok('datasets.list', {})).map((dataset) => dataset.name).sort();

/** Every request the app sent since the last reset went to `identityId`'s partition, signed with its credentials, and was answered. */
function everyRequestWasFor(identityId: string): void {
  const dynamodb = seen.filter((each) => each.service === 'dynamodb');
  expect(dynamodb.length).toBeGreaterThan(0);
  expect(dynamodb.filter((each) => each.status !== 200 || each.signedFor !== identityId)).toEqual([]);
  expect(seen.filter((each) => each.status !== 200)).toEqual([]);
  expect(Object.keys(cloud.requestCounts())).toEqual([identityId]);
  expect(requestsOf(cloud.requestCounts(), identityId).Query).toBeGreaterThan(0);
}

function resetRecords(): void {
  seen = [];
  cloud.resetRequestCounts();
}

test('A signs in, makes a dataset, and sync succeeds', async () => {
  resetRecords();
  await signInAs(0);
  identityA = await app.sync.identityId();
  expect(identityA).not.toBe(identityB);
  await ok('datasets.openOrCreate', { dataset: 'a-notes' });
  await ok('records.put', { dataset: 'a-notes', key: 'greeting', value: 'hello from A' });
  await syncSucceeds();
  expect(await datasetNames()).toEqual(['a-notes']);
  everyRequestWasFor(identityA);
});

test('signed out, keeping the local copy, the app sends no request to Cognito or DynamoDB', async () => {
  expect(await ok('session.signOut', { removeLocalData: false })).toMatchObject({ state: 'signedOut' });
  expect(app.store.listDatasets(identityA).map((dataset) => dataset.name)).toEqual(['a-notes']);
  resetRecords();
  // Whatever could start a sync: a command, the network coming back, the debounce and the timer.
  expect(await app.router.dispatch('sync.now', {})).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  platform.setOnline(false);
  platform.setOnline(true);
  await new Promise((resolve) => setTimeout(resolve, DEFAULT_CHANGE_DEBOUNCE_MS + 1_000));
  expect(cloud.requestCounts()).toEqual({});
  expect(seen).toEqual([]);
});

test("B signs in in the same run: every sync succeeds, B's dataset arrives, and every request is B's", async () => {
  resetRecords();
  await signInAs(1);
  expect(await app.sync.identityId()).toBe(identityB);
  await syncSucceeds();
  expect(await datasetNames()).toEqual(['b-notes']);
  expect(await ok('records.get', { dataset: 'b-notes', key: 'greeting' })).toMatchObject({ value: 'hello from B' });
  // And B's own change goes up, for B's other computer.
  await ok('records.put', { dataset: 'b-notes', key: 'from-the-app', value: 'written after the switch' });
  await syncSucceeds();
  expect((await remoteRecords(otherDeviceOfB.table, 'b-notes')).get('from-the-app')).toBe('written after the switch');
  everyRequestWasFor(identityB);
});

test("A again: sync succeeds and sees only A's datasets, every request A's", async () => {
  expect(await ok('session.signOut', { removeLocalData: false })).toMatchObject({ state: 'signedOut' });
  resetRecords();
  await signInAs(0);
  expect(await app.sync.identityId()).toBe(identityA);
  await syncSucceeds();
  expect(await datasetNames()).toEqual(['a-notes']);
  expect(await ok('records.get', { dataset: 'a-notes', key: 'greeting' })).toMatchObject({ value: 'hello from A' });
  everyRequestWasFor(identityA);
});
