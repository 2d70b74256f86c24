// Several devices of one user (separate profile dirs and SQLite files) syncing through the gateway
// to DynamoDB Local: concurrent commits, conflicts under each policy, delete and re-create, split
// pushes and paged pulls, the cost of a sync counted at the gateway, and failures as codes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../../localcloud/start-local-cloud';
import { DEFAULT_LIMITS } from '../../../../main/datasets/limits';
import type { ConflictPolicyName } from '../../../../main/datasets/store/merge-record';
import { failure } from '../../../support/app-error';
import { signInCloudUser } from '../../../support/cloud-user';
import { openSyncDevice, remoteRecords, requestsOf, type CloudUser, type SyncDevice } from '../../../support/sync-device';

let root: string;
let cloud: LocalCloud;
let alice: CloudUser;
let bob: CloudUser;
const opened: SyncDevice[] = [];
let datasetNumber = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sync-engine-int-'));
  cloud = await startLocalCloud({ inMemory: true });
  alice = await signInCloudUser(cloud, root, 0);
  bob = await signInCloudUser(cloud, root, 1);
});

afterEach(() => {
  cloud.setFaults({});
  for (const device of opened.splice(0)) device.close();
});

afterAll(async () => {
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

async function device(user = alice, options: Parameters<typeof openSyncDevice>[2] = {}): Promise<SyncDevice> {
  const opened_ = await openSyncDevice(user, root, options);
  opened.push(opened_);
  return opened_;
}

const freshDataset = () => `engine-${(datasetNumber += 1)}`;

/** A dataset created on `first` and synced, then opened on the others: all start equal. */
async function shared(devices: SyncDevice[], records: Record<string, string> = {}, policy?: ConflictPolicyName): Promise<string> {
  const dataset = freshDataset();
  const [first, ...others] = devices;
  first!.store.openOrCreate(first!.identityId, dataset);
  for (const [key, value] of Object.entries(records)) first!.store.put(first!.identityId, dataset, key, value);
  await first!.engine.syncDataset(dataset);
  for (const other of others) await other.engine.syncDataset(dataset);
  if (policy !== undefined) for (const each of devices) each.store.setConflictPolicy(each.identityId, dataset, policy);
  return dataset;
}

const entries = (map: Map<string, string>) => Object.fromEntries([...map].sort(([one], [other]) => one.localeCompare(other)));

test('the largest record the limits allow (longest name and key, largest value) syncs both ways', async () => {
  const [a, b] = [await device(), await device()];
  const dataset = `big-${'d'.repeat(120)}`.slice(0, DEFAULT_LIMITS.datasetNameMaxChars);
  const key = 'k'.repeat(DEFAULT_LIMITS.keyMaxBytes);
  const value = '€'.repeat(Math.floor(DEFAULT_LIMITS.valueMaxBytes / 3));
  a.store.openOrCreate(a.identityId, dataset);
  a.store.put(a.identityId, dataset, key, value);
  await a.engine.syncDataset(dataset);
  await b.engine.syncAll();
  expect(b.records(dataset).get(key)).toBe(value);
});

test('three devices committing at once all land: every commit that lost a race was pulled, merged and retried', async () => {
  const devices = [await device(), await device(), await device()];
  const dataset = await shared(devices);
  devices.forEach((each, index) => {
    for (let key = 0; key < 20; key += 1) each.store.put(each.identityId, dataset, `device-${index}-key-${key}`, `value ${key}`);
  });
  const results = await Promise.all(devices.map((each) => each.engine.syncDataset(dataset)));
  expect(results.reduce((sum, result) => sum + result.pushed, 0)).toBe(60);
  for (const each of devices) await each.engine.syncDataset(dataset);

  const expected = await remoteRecords(devices[0]!.table, dataset);
  expect(expected.size).toBe(60);
  for (const each of devices) {
    expect(entries(each.records(dataset))).toEqual(entries(expected));
    expect(each.engine.status().datasets[dataset]).toMatchObject({ state: 'synced' });
  }
});

test('under the remote policy a conflict takes the value another device committed first', async () => {
  const [a, b] = [await device(), await device()];
  const dataset = await shared([a, b], { color: 'white' }, 'remote');
  a.store.put(a.identityId, dataset, 'color', 'red');
  b.store.put(b.identityId, dataset, 'color', 'blue');
  await a.engine.syncDataset(dataset);
  await b.engine.syncDataset(dataset);
  expect(b.records(dataset).get('color')).toBe('red');
  expect(await remoteRecords(a.table, dataset)).toEqual(new Map([['color', 'red']]));
});

test('under the local policy a conflict keeps this device’s value and pushes it over the other', async () => {
  const [a, b] = [await device(), await device()];
  const dataset = await shared([a, b], { color: 'white' }, 'local');
  a.store.put(a.identityId, dataset, 'color', 'red');
  b.store.put(b.identityId, dataset, 'color', 'blue');
  await a.engine.syncDataset(dataset);
  await b.engine.syncDataset(dataset);
  expect(b.records(dataset).get('color')).toBe('blue');
  await a.engine.syncDataset(dataset);
  expect(a.records(dataset).get('color')).toBe('blue');
  expect(await remoteRecords(a.table, dataset)).toEqual(new Map([['color', 'blue']]));
});

test('under lastWriterWins the later write wins on every device, whichever device syncs first', async () => {
  const [a, b] = [await device(), await device()];
  const dataset = await shared([a, b], { early: 'x', late: 'x' }, 'lastWriterWins');
  // `early`: b writes first, a later; `late`: a writes first, b later. a always syncs first.
  b.store.put(b.identityId, dataset, 'early', 'from b');
  a.store.put(a.identityId, dataset, 'late', 'from a');
  await new Promise((resolve) => setTimeout(resolve, 5));
  a.store.put(a.identityId, dataset, 'early', 'from a');
  b.store.put(b.identityId, dataset, 'late', 'from b');
  await a.engine.syncDataset(dataset);
  await b.engine.syncDataset(dataset);
  await a.engine.syncDataset(dataset);
  const winners = { early: 'from a', late: 'from b' };
  expect(entries(a.records(dataset))).toEqual(winners);
  expect(entries(b.records(dataset))).toEqual(winners);
  expect(entries(await remoteRecords(a.table, dataset))).toEqual(winners);
});

test('under manual both values are kept until the user chooses; the choice then reaches every device', async () => {
  const [a, b] = [await device(), await device()];
  const dataset = await shared([a, b], { color: 'white' }, 'manual');
  a.store.put(a.identityId, dataset, 'color', 'red');
  b.store.put(b.identityId, dataset, 'color', 'blue');
  await a.engine.syncDataset(dataset);
  const atB = await b.engine.syncDataset(dataset);
  expect(atB.conflicts).toEqual(['color']);

  const [conflict] = b.store.listConflicts(b.identityId, dataset);
  expect(conflict).toMatchObject({ key: 'color', mine: { value: 'blue' }, theirs: { value: 'red' } });
  expect(b.engine.status().datasets[dataset]).toMatchObject({ state: 'conflicts', conflicts: 1 });
  // Syncing again changes nothing: the conflicted key is not pushed, the remote keeps red.
  await b.engine.syncDataset(dataset);
  expect(await remoteRecords(a.table, dataset)).toEqual(new Map([['color', 'red']]));
  expect(b.records(dataset).get('color')).toBe('blue');

  b.store.resolveConflict(b.identityId, dataset, 'color', { keep: 'mine' });
  await b.engine.syncDataset(dataset);
  await a.engine.syncDataset(dataset);
  expect(a.records(dataset).get('color')).toBe('blue');
  expect(b.store.listConflicts(b.identityId, dataset)).toEqual([]);
});

test('a dataset deleted on A while B has unsynced edits comes back with B’s edits only; nothing old returns', async () => {
  const [a, b, c] = [await device(), await device(), await device()];
  const dataset = await shared([a, b, c], { kept: 'old', dropped: 'old' });
  b.store.put(b.identityId, dataset, 'kept', 'edited on b');
  a.store.deleteDataset(a.identityId, dataset);
  await a.engine.syncDataset(dataset);
  expect(await remoteRecords(a.table, dataset)).toEqual(new Map());

  const atB = await b.engine.syncDataset(dataset);
  expect(atB.remoteReset).toMatchObject({ kind: 'deleted', keptDirty: 1 });
  const recreated = new Map([['kept', 'edited on b']]);
  expect(await remoteRecords(b.table, dataset)).toEqual(recreated);

  // c had no edits: it follows the delete and then the re-creation.
  await c.engine.syncAll();
  expect(c.records(dataset)).toEqual(recreated);
  // a deleted it, and gets the re-created dataset — without the record it deleted.
  await a.engine.syncAll();
  expect(a.records(dataset)).toEqual(recreated);
});

test('a dataset deleted on one device disappears from the others that have no edits', async () => {
  const [a, b] = [await device(), await device()];
  const dataset = await shared([a, b], { one: '1' });
  a.store.deleteDataset(a.identityId, dataset);
  await a.engine.syncAll();
  await b.engine.syncAll();
  expect(b.store.listDatasets(b.identityId).map((each) => each.name)).not.toContain(dataset);
  expect(b.records(dataset)).toEqual(new Map());
});

test('250 records are pushed in three commits; more than 4 MB in commits under 4 MB; the other device pulls them over several pages', async () => {
  const [a, b] = [await device(), await device()];
  const small = await shared([a]);
  for (let key = 0; key < 250; key += 1) a.store.put(a.identityId, small, `key-${String(key).padStart(3, '0')}`, `value ${key}`);
  cloud.resetRequestCounts();
  expect((await a.engine.syncDataset(small)).pushed).toBe(250);
  expect(requestsOf(cloud.requestCounts(), a.identityId)).toEqual({ GetItem: 1, TransactWriteItems: 3 });

  const big = await shared([a]);
  // 180 KB each (DynamoDB Local counts the bySyncKey projection into the 400 KB item limit): 4.5 MB.
  for (let key = 0; key < 25; key += 1) a.store.put(a.identityId, big, `big-${key}`, `${key}`.padEnd(180_000, 'x'));
  cloud.resetRequestCounts();
  expect((await a.engine.syncDataset(big)).pushed).toBe(25);
  expect(requestsOf(cloud.requestCounts(), a.identityId).TransactWriteItems).toBe(2);

  cloud.resetRequestCounts();
  await b.engine.syncDataset(big);
  expect(requestsOf(cloud.requestCounts(), b.identityId).Query).toBeGreaterThanOrEqual(3);
  expect(entries(b.records(big))).toEqual(entries(a.records(big)));
  expect(b.records(big).size).toBe(25);
});

test('a sync in which nothing changed costs exactly one request, with 20 datasets', async () => {
  const [a, b] = [await device(bob), await device(bob)];
  for (let index = 0; index < 20; index += 1) {
    const dataset = `quiet-${index}`;
    a.store.openOrCreate(a.identityId, dataset);
    a.store.put(a.identityId, dataset, 'k', `v${index}`);
  }
  await a.engine.syncAll();
  await b.engine.syncAll();
  expect(b.store.listDatasets(b.identityId)).toHaveLength(20);

  cloud.resetRequestCounts();
  await a.engine.syncAll();
  await b.engine.syncAll();
  expect(requestsOf(cloud.requestCounts(), a.identityId)).toEqual({ Query: 2 });
  expect(a.engine.status().overall).toBe('synced');

  // One change: the header Query, then the GetItem-free delta pull on b; the push on a is one commit.
  a.store.put(a.identityId, 'quiet-7', 'k', 'changed');
  cloud.resetRequestCounts();
  await a.engine.syncAll();
  expect(requestsOf(cloud.requestCounts(), a.identityId)).toEqual({ Query: 1, TransactWriteItems: 1 });
  cloud.resetRequestCounts();
  await b.engine.syncAll();
  expect(requestsOf(cloud.requestCounts(), a.identityId)).toEqual({ Query: 2 });
  expect(b.records('quiet-7').get('k')).toBe('changed');
});

test('offline, or with Work offline on, a sync makes no request and the status says how many changes wait', async () => {
  const a = await device();
  const dataset = await shared([a]);
  a.store.put(a.identityId, dataset, 'k', 'v');
  cloud.resetRequestCounts();
  a.platform.setOnline(false);
  expect((await failure(a.engine.syncAll())).code).toBe('OFFLINE');
  expect((await failure(a.engine.syncDataset(dataset))).code).toBe('OFFLINE');
  expect(a.engine.status()).toMatchObject({ overall: 'offline', pending: 1, datasets: { [dataset]: { state: 'offline', pending: 1 } } });
  a.platform.setOnline(true);
  a.store.setWorkOffline(true);
  expect((await failure(a.engine.syncAll())).code).toBe('OFFLINE');
  expect(requestsOf(cloud.requestCounts(), a.identityId)).toEqual({});
  a.store.setWorkOffline(false);
  await a.engine.syncAll();
  expect(a.engine.status()).toMatchObject({ overall: 'synced', pending: 0 });
});

test("a device pointed at another identity's partition gets ACCESS_DENIED naming the IAM condition, and keeps its changes", async () => {
  const intruder = await device(bob);
  const aliceId = (await device()).identityId;
  intruder.table.identityId = aliceId;
  const error = await failure(intruder.engine.syncAll());
  expect(error.code).toBe('ACCESS_DENIED');
  expect(error.message).toContain('dynamodb:LeadingKeys');
  expect(intruder.engine.status()).toMatchObject({ overall: 'error', error: { code: 'ACCESS_DENIED' } });
});

test('throttling and 5xx answers on the way are retried, and the devices still converge', async () => {
  const [a, b] = [await device(alice, { maxAttempts: 20 }), await device(alice, { maxAttempts: 20 })];
  const dataset = await shared([a, b], { base: '0' });
  for (let key = 0; key < 30; key += 1) {
    a.store.put(a.identityId, dataset, `a-${key}`, `${key}`);
    b.store.put(b.identityId, dataset, `b-${key}`, `${key}`);
  }
  // The SDK's backoff after a throttle starts at 500 ms and doubles: moderate rates keep this quick.
  cloud.setFaults({ throttleRate: 0.2, serverErrorRate: 0.1 });
  await Promise.all([a.engine.syncDataset(dataset), b.engine.syncDataset(dataset)]);
  await a.engine.syncDataset(dataset);
  await b.engine.syncDataset(dataset);
  cloud.setFaults({});
  const expected = await remoteRecords(a.table, dataset);
  expect(expected.size).toBe(61);
  expect(entries(a.records(dataset))).toEqual(entries(expected));
  expect(entries(b.records(dataset))).toEqual(entries(expected));
}, 180_000);

test('a dataset whose header vanished from the table (a replaced table) is committed again from the start, not retried for ever', async () => {
  const a = await device();
  const dataset = await shared([a], { k: 'v' });
  const { DeleteItemCommand } = await import('@aws-sdk/client-dynamodb');
  const { datasetSortKey } = await import('../../../../main/aws/table-schema');
  await a.client.send(new DeleteItemCommand({ TableName: a.table.tableName, Key: { pk: { S: a.identityId }, sk: { S: datasetSortKey(dataset) } } }));
  a.store.put(a.identityId, dataset, 'k', 'after the loss');
  const result = await a.engine.syncDataset(dataset);
  expect(result).toMatchObject({ pushed: 1, conflictingCommits: 0 });
  expect(await remoteRecords(a.table, dataset)).toEqual(new Map([['k', 'after the loss']]));
});

test('a dataset deleted here whose header then vanished from the table stays deleted, not back as an empty dataset', async () => {
  const a = await device();
  const dataset = await shared([a], { k: 'v' });
  a.store.deleteDataset(a.identityId, dataset);
  await a.engine.syncDataset(dataset);
  const { DeleteItemCommand } = await import('@aws-sdk/client-dynamodb');
  const { datasetSortKey } = await import('../../../../main/aws/table-schema');
  await a.client.send(new DeleteItemCommand({ TableName: a.table.tableName, Key: { pk: { S: a.identityId }, sk: { S: datasetSortKey(dataset) } } }));
  await a.engine.syncDataset(dataset);
  expect(a.store.listDatasets(a.identityId).map((each) => each.name)).not.toContain(dataset);
  expect(await remoteRecords(a.table, dataset)).toEqual(new Map());
});

test('a delete pushed after other devices committed keeps what they wrote meanwhile, and only that', async () => {
  const [a, b] = [await device(), await device()];
  const dataset = await shared([a, b], { old: 'seen by a' });
  a.store.deleteDataset(a.identityId, dataset);
  // b writes after a deleted, before a's delete reaches the remote: a never saw it.
  b.store.put(b.identityId, dataset, 'new', 'written on b meanwhile');
  await b.engine.syncDataset(dataset);
  await a.engine.syncDataset(dataset);
  const survivors = new Map([['new', 'written on b meanwhile']]);
  expect(await remoteRecords(a.table, dataset)).toEqual(survivors);
  await a.engine.syncAll();
  await b.engine.syncAll();
  expect(a.records(dataset)).toEqual(survivors);
  expect(b.records(dataset)).toEqual(survivors);
});

test('subscribers hear the status change with a local write, and again when its sync is done', async () => {
  const a = await device();
  const dataset = await shared([a]);
  const heard: string[] = [];
  a.engine.subscribe((status) => heard.push(`${status.overall}:${status.pending}`));
  a.store.put(a.identityId, dataset, 'k', 'v');
  await expect.poll(() => heard.at(-1)).toBe('pending:1');
  await a.engine.syncAll();
  expect(heard).toContain('syncing:1');
  expect(heard.at(-1)).toBe('synced:0');
});

test('a dataset deleted and re-created here before syncing replaces the old records but keeps what others wrote meanwhile', async () => {
  const [a, b] = [await device(), await device()];
  const dataset = await shared([a, b], { old: 'seen by a' }, 'manual');
  a.store.deleteDataset(a.identityId, dataset);
  a.store.openOrCreate(a.identityId, dataset);
  a.store.put(a.identityId, dataset, 'fresh', 'written on a after the re-create');
  b.store.put(b.identityId, dataset, 'meanwhile', 'written on b, never seen by a');
  await b.engine.syncDataset(dataset);
  await a.engine.syncDataset(dataset);
  await b.engine.syncDataset(dataset);
  const expected = { fresh: 'written on a after the re-create', meanwhile: 'written on b, never seen by a' };
  expect(entries(await remoteRecords(a.table, dataset))).toEqual(expected);
  expect(entries(a.records(dataset))).toEqual(expected);
  expect(entries(b.records(dataset))).toEqual(expected);
});

test('deleted, re-created and deleted again here before syncing: the delete still reaches the remote and every device', async () => {
  const [a, b] = [await device(), await device()];
  const dataset = await shared([a, b], { old: 'seen by a' });
  a.store.deleteDataset(a.identityId, dataset);
  a.store.openOrCreate(a.identityId, dataset);
  a.store.put(a.identityId, dataset, 'brief', 'written between the two deletes');
  a.store.deleteDataset(a.identityId, dataset);
  await a.engine.syncAll();
  expect(await remoteRecords(a.table, dataset)).toEqual(new Map());
  await b.engine.syncAll();
  await a.engine.syncAll();
  for (const each of [a, b]) {
    expect(each.store.listDatasets(each.identityId).map((summary) => summary.name)).not.toContain(dataset);
    expect(each.records(dataset)).toEqual(new Map());
  }
});

test('a dataset deleted here twice before it ever synced, then created on another device, arrives here whole', async () => {
  const [a, b] = [await device(), await device()];
  const dataset = freshDataset();
  for (let round = 0; round < 2; round += 1) {
    a.store.openOrCreate(a.identityId, dataset);
    a.store.put(a.identityId, dataset, 'draft', `never synced ${round}`);
    a.store.deleteDataset(a.identityId, dataset);
  }
  b.store.openOrCreate(b.identityId, dataset);
  b.store.put(b.identityId, dataset, 'from-b', 'written on b');
  await b.engine.syncAll();
  // a's deletes were of copies the remote never held: nothing of b's is deleted, and a gets it all
  // in that same sync.
  await a.engine.syncAll();
  const expected = new Map([['from-b', 'written on b']]);
  expect(await remoteRecords(a.table, dataset)).toEqual(expected);
  expect(a.records(dataset)).toEqual(expected);
});

test('re-created here while another device deleted and re-created it too: both new generations’ records meet, none is skipped', async () => {
  const [a, b] = [await device(), await device()];
  const dataset = await shared([a, b], { old: 'seen by both' }, 'manual');
  // Both devices delete and re-create the dataset; b's new generation reaches the remote first.
  for (const each of [a, b]) {
    each.store.deleteDataset(each.identityId, dataset);
    each.store.openOrCreate(each.identityId, dataset);
  }
  b.store.put(b.identityId, dataset, 'one', 'first on b');
  b.store.put(b.identityId, dataset, 'two', 'second on b');
  await b.engine.syncDataset(dataset);
  a.store.put(a.identityId, dataset, 'three', 'on a');
  await a.engine.syncDataset(dataset);
  await b.engine.syncDataset(dataset);
  const expected = { one: 'first on b', three: 'on a', two: 'second on b' };
  expect(entries(await remoteRecords(a.table, dataset))).toEqual(expected);
  expect(entries(a.records(dataset))).toEqual(expected);
  expect(entries(b.records(dataset))).toEqual(expected);
});
