// Hostile and unlucky data (issue 13): values whose JSON is far larger than their UTF-8, and items
// in the user's own partition that this app would never write — from another device with a bug, or
// anyone holding the identity's temporary credentials. They are written here with the identity's own
// credentials through the gateway, as such a device would. Nothing of it may stop sync for good.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AttributeValue, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../../localcloud/start-local-cloud';
import * as remote from '../../../../main/aws/dataset-table';
import { DATASET_PREFIX, PARTITION_KEY, RECORD_PREFIX, SORT_KEY, SYNC_KEY_ATTRIBUTE, syncKey } from '../../../../main/aws/table-schema';
import { DEFAULT_LIMITS } from '../../../../main/datasets/limits';
import { createLogger } from '../../../../main/platform/log';
import { failure } from '../../../support/app-error';
import { signInCloudUser } from '../../../support/cloud-user';
import { openSyncDevice, remoteRecords, requestsOf, type CloudUser, type SyncDevice } from '../../../support/sync-device';

let root: string;
let cloud: LocalCloud;
let alice: CloudUser;
const opened: SyncDevice[] = [];
let datasetNumber = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sync-hostile-'));
  cloud = await startLocalCloud({ inMemory: true });
  alice = await signInCloudUser(cloud, root, 0);
});

afterEach(() => {
  cloud.setFaults({});
  for (const device of opened.splice(0)) device.close();
});

afterAll(async () => {
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

interface Logged {
  lines: Record<string, unknown>[];
  messages(text: string): Record<string, unknown>[];
}

async function device(options: Parameters<typeof openSyncDevice>[2] & { logged?: Logged } = {}): Promise<SyncDevice> {
  const { logged, ...rest } = options;
  const log = logged && createLogger({ write: (line) => logged.lines.push(JSON.parse(line) as Record<string, unknown>), level: 'debug' });
  const each = await openSyncDevice(alice, root, { ...rest, engine: { ...rest.engine, ...(log ? { log } : {}) } });
  opened.push(each);
  return each;
}

function logged(): Logged {
  const lines: Record<string, unknown>[] = [];
  return { lines, messages: (text) => lines.filter((line) => String(line.message).includes(text)) };
}

const freshDataset = () => `hostile-${(datasetNumber += 1)}`;
const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number | string): AttributeValue => ({ N: String(value) });

/** Writes `item` into the device's own partition, as any holder of its credentials can. */
async function putRaw(target: SyncDevice, item: Record<string, AttributeValue>): Promise<void> {
  await target.client.send(new PutItemCommand({ TableName: target.table.tableName, Item: { [PARTITION_KEY]: S(target.identityId), ...item } }));
}

function rawHeader(name: string, fields: Record<string, AttributeValue> = {}): Record<string, AttributeValue> {
  return {
    [SORT_KEY]: S(`${DATASET_PREFIX}${name}`),
    syncCount: N(1),
    generation: N(1),
    deleted: { BOOL: false },
    recordCount: N(0),
    sizeBytes: N(0),
    lastModified: N(1),
    lastModifiedBy: S('another-device'),
    ...fields,
  };
}

function rawRecord(dataset: string, key: string, syncCount: number, generation: number, fields: Record<string, AttributeValue> = {}) {
  return {
    [SORT_KEY]: S(`${RECORD_PREFIX}${dataset}#${key}`),
    [SYNC_KEY_ATTRIBUTE]: S(syncKey(dataset, syncCount)),
    value: S('v'),
    deleted: { BOOL: false },
    syncCount: N(syncCount),
    generation: N(generation),
    lastModified: N(1),
    lastModifiedBy: S('another-device'),
    deviceLastModified: N(1),
    ...fields,
  };
}

const sorted = (map: Map<string, string>) => [...map.keys()].sort();

// ——— finding 1: the request as sent ———

test('20 values of 170,000 control characters (3.4 MB, 20 MB as JSON) sync: commits are budgeted by the request as sent', async () => {
  const [a, b] = [await device(), await device()];
  const dataset = freshDataset();
  a.store.openOrCreate(a.identityId, dataset);
  const value = '\u0001'.repeat(170_000);
  for (let index = 0; index < 20; index += 1) a.store.put(a.identityId, dataset, `k${index}`, `${index}${value}`);
  cloud.resetRequestCounts();
  const pushed = await a.engine.syncDataset(dataset);
  expect(pushed.pushed).toBe(20);
  expect(requestsOf(cloud.requestCounts(), a.identityId).TransactWriteItems).toBeGreaterThanOrEqual(2);
  await b.engine.syncAll();
  expect(b.records(dataset).size).toBe(20);
  expect(b.records(dataset).get('k7')).toBe(`7${value}`);
});

test('keys and values at the limits made of control characters, quotes, backslashes and astral characters sync both ways', async () => {
  const [a, b] = [await device(), await device()];
  const dataset = freshDataset();
  const max = DEFAULT_LIMITS.valueMaxBytes;
  const keyMax = DEFAULT_LIMITS.keyMaxBytes;
  const records = new Map<string, string>();
  // Fourteen values of the worst case (six bytes of JSON each) alone are over the 16 MB request limit.
  for (let index = 0; index < 14; index += 1) records.set(`control-${index}${'\u0001'.repeat(keyMax - 11)}`, `${'\u0000\u001f\u0007'.repeat(max / 3 - 1)}${String(index).padStart(3, '\u0002')}`);
  records.set('"'.repeat(keyMax), '"'.repeat(max));
  records.set('\\'.repeat(keyMax), '\\'.repeat(max));
  records.set('😀'.repeat(keyMax / 4), '😀'.repeat(max / 4));
  records.set('\u2028\u2029\u007f'.repeat(keyMax / 8) + '\u2028\u2029', `${'\u2028"\\\u0001😀'.repeat(max / 12)}`);
  a.store.openOrCreate(a.identityId, dataset);
  for (const [key, value] of records) a.store.put(a.identityId, dataset, key, value);
  expect((await a.engine.syncDataset(dataset)).pushed).toBe(records.size);
  await b.engine.syncAll();
  const got = b.records(dataset);
  expect(sorted(got)).toEqual(sorted(records));
  for (const [key, value] of records) expect(got.get(key) === value, `value of a key of ${key.length} characters`).toBe(true);
  expect(a.store.getDataset(a.identityId, dataset).pendingChanges).toBe(0);
});

test('a commit the service calls too large is split and sent smaller, never again as it was', async () => {
  const logs = logged();
  // A budget that believes 64 MB fit in one request: the gateway refuses the first commit (413).
  const a = await device({ logged: logs, engine: { commitBudget: { maxRequestBytes: 64 * 1024 * 1024 } } });
  const b = await device();
  const dataset = freshDataset();
  a.store.openOrCreate(a.identityId, dataset);
  const value = '\u0001'.repeat(170_000);
  for (let index = 0; index < 20; index += 1) a.store.put(a.identityId, dataset, `k${index}`, `${index}${value}`);
  const result = await a.engine.syncDataset(dataset);
  expect(result.pushed).toBe(20);
  expect(logs.messages('too large')).toHaveLength(1);
  expect(logs.messages('too large')[0]).toMatchObject({ records: 20, next: 10 });
  await b.engine.syncAll();
  expect(b.records(dataset).size).toBe(20);
});

// ——— finding 2: every remote item is checked ———

test('malformed records in the partition are skipped, counted and shown as a warning; the good ones of the same commits arrive', async () => {
  const logs = logged();
  const a = await device();
  const b = await device({ logged: logs });
  const dataset = freshDataset();
  a.store.openOrCreate(a.identityId, dataset);
  a.store.put(a.identityId, dataset, 'good', 'one');
  await a.engine.syncDataset(dataset);
  const header = (await remote.getHeader(a.table, dataset))!;
  // A commit another device made at syncCount 2: one good record and everything a bug could write.
  const at = header.syncCount + 1;
  const generation = header.generation;
  const bad: Record<string, AttributeValue>[] = [
    rawRecord(dataset, 'k'.repeat(DEFAULT_LIMITS.keyMaxBytes + 72), at, generation),
    rawRecord(dataset, '', at, generation),
    { ...rawRecord(dataset, 'borrowed', at, generation), [SORT_KEY]: S(`${RECORD_PREFIX}${dataset}-other#borrowed`) },
    rawRecord(dataset, 'huge-count', at, generation, { syncCount: N('100000000000000000000') }),
    rawRecord(dataset, 'huge-time', at, generation, { deviceLastModified: N('1e100') }),
    rawRecord(dataset, 'negative-generation', at, generation, { generation: N(-1) }),
    rawRecord(dataset, 'too-big', at, generation, { value: S('v'.repeat(DEFAULT_LIMITS.valueMaxBytes + 1)) }),
    rawRecord(dataset, 'number-value', at, generation, { value: N(5) }),
    rawRecord(dataset, 'no-value', at, generation, { value: { NULL: true } }),
    rawRecord(dataset, 'string-deleted', at, generation, { deleted: S('no') }),
  ];
  for (const item of bad) await putRaw(a, item);
  await putRaw(a, rawRecord(dataset, 'good2', at, generation, { value: S('two') }));
  await putRaw(a, rawHeader(dataset, { syncCount: N(at), generation: N(generation), recordCount: N(2) }));

  const first = await b.engine.syncDataset(dataset);
  expect(first.skipped).toBe(bad.length);
  expect(Object.fromEntries(b.records(dataset))).toEqual({ good: 'one', good2: 'two' });
  expect(b.store.listRecords(b.identityId, dataset, { limit: 100 }).records.map((record) => record.key)).toEqual(['good', 'good2']);
  expect(b.store.getDataset(b.identityId, dataset).recordCount).toBe(2);
  expect(b.engine.status().datasets[dataset]).toMatchObject({ state: 'synced', warning: { skippedItems: bad.length } });
  expect(b.engine.status().datasets[dataset]?.warning?.message).toMatch(/10 items .* skipped/);
  expect(logs.messages('skipped malformed items')).toHaveLength(1);
  expect(logs.messages('skipped malformed items')[0]).toMatchObject({ skipped: bad.length });

  // Sync goes on: a write here lands, and the bad items are neither logged nor counted again.
  b.store.put(b.identityId, dataset, 'after', 'three');
  for (let round = 0; round < 3; round += 1) await b.engine.syncAll();
  expect(b.store.getDataset(b.identityId, dataset).pendingChanges).toBe(0);
  expect(logs.messages('skipped malformed items')).toHaveLength(1);
  expect(b.engine.status().datasets[dataset]?.warning?.skippedItems).toBe(bad.length);
  expect(Object.fromEntries(await remoteRecords(a.table, dataset))).toMatchObject({ good: 'one', good2: 'two', after: 'three' });
  // The log says what was wrong, never the keys or values.
  expect(JSON.stringify(logs.lines)).not.toContain('borrowed');
});

test('a header with a syncCount past 2^53 stops only its dataset, with SYNC_REMOTE_DAMAGED logged once; the others sync', async () => {
  const logs = logged();
  const b = await device({ logged: logs });
  const [damaged, fine] = [freshDataset(), freshDataset()];
  for (const name of [damaged, fine]) {
    b.store.openOrCreate(b.identityId, name);
    b.store.put(b.identityId, name, 'k', 'before');
  }
  await b.engine.syncAll();
  await putRaw(b, rawHeader(damaged, { syncCount: N('100000000000000000000') }));
  b.store.put(b.identityId, damaged, 'k', 'kept here');
  b.store.put(b.identityId, fine, 'k', 'after');
  for (let round = 0; round < 5; round += 1) await b.engine.syncAll();

  expect(Object.fromEntries(await remoteRecords(b.table, fine))).toEqual({ k: 'after' });
  expect(b.store.getDataset(b.identityId, fine).pendingChanges).toBe(0);
  expect(b.engine.status().datasets[damaged]).toMatchObject({ state: 'error', error: { code: 'SYNC_REMOTE_DAMAGED' }, pending: 1 });
  expect(b.records(damaged).get('k')).toBe('kept here');
  expect((await failure(b.engine.syncDataset(damaged))).code).toBe('SYNC_REMOTE_DAMAGED');
  expect(logs.messages('a dataset sync failed')).toHaveLength(1);
  expect(logs.lines.filter((line) => line.level === 'error')).toEqual([]);

  // A delete here is done here, and leaves the damaged cloud copy alone, listed as unsupported.
  b.store.deleteDataset(b.identityId, damaged);
  await b.engine.syncAll();
  expect(b.store.listDatasets(b.identityId).map((summary) => summary.name)).not.toContain(damaged);
  expect(b.store.unsyncedChanges(b.identityId).total).toBe(0);
  expect(b.engine.status().unsupported).toContainEqual({ name: damaged, reason: 'damaged' });
  expect(logs.messages('a dataset sync failed: repeated')).toHaveLength(1);
});

test('remote dataset names the app refuses are listed as unsupported and never created here', async () => {
  const logs = logged();
  const b = await device({ logged: logs });
  const dataset = freshDataset();
  const refused = [`bad name ${datasetNumber}`, 'n'.repeat(300), '', 'slash/name', 'é'];
  for (const name of refused) await putRaw(b, rawHeader(name));
  b.store.openOrCreate(b.identityId, dataset);
  for (let round = 0; round < 3; round += 1) await b.engine.syncAll();
  const names = b.store.listDatasets(b.identityId).map((summary) => summary.name);
  for (const name of refused) expect(names).not.toContain(name);
  expect(names).toContain(dataset);
  const unsupported = b.engine.status().unsupported ?? [];
  expect(unsupported.map((each) => each.name)).toEqual(expect.arrayContaining([`bad name ${datasetNumber}`, 'slash/name', 'é', '', `${'n'.repeat(63)}…`]));
  expect(unsupported.filter((each) => each.name === 'slash/name')).toEqual([{ name: 'slash/name', reason: 'name' }]);
  expect(logs.messages('leaves alone')).toHaveLength(1);
  expect(b.engine.status().overall).toBe('synced');
});

test('any record key that exists can be removed, whatever its size', async () => {
  const b = await device();
  const dataset = freshDataset();
  b.store.openOrCreate(b.identityId, dataset);
  // As an older version stored it from the cloud: a key no local write would accept.
  const long = 'k'.repeat(DEFAULT_LIMITS.keyMaxBytes + 50);
  b.store.syncStorage.applyPull(b.identityId, dataset, {
    header: { syncCount: 1, generation: b.store.syncStorage.syncState(b.identityId, dataset)!.generation, deleted: false },
    records: [{ key: long, value: 'x', syncCount: 1, deviceLastModified: 1, lastModifiedBy: 'another-device' }],
  });
  expect(b.records(dataset).get(long)).toBe('x');
  expect(b.store.remove(b.identityId, dataset, long).changed).toBe(true);
  expect(b.records(dataset).has(long)).toBe(false);
  expect(b.store.getDataset(b.identityId, dataset)).toMatchObject({ recordCount: 0, bytes: 0 });
});

// ——— finding 3: repeated failures logged once ———

test('a dataset failing the same way on every sync is logged once, then once with how many times it repeated', async () => {
  const logs = logged();
  const a = await device({ logged: logs, maxAttempts: 1 });
  const dataset = freshDataset();
  a.store.openOrCreate(a.identityId, dataset);
  cloud.setFaults({ serverErrorRate: 1 });
  for (let round = 0; round < 5; round += 1) expect((await failure(a.engine.syncDataset(dataset))).code).toBe('DYNAMODB_ERROR');
  expect(logs.messages('a dataset sync failed')).toHaveLength(1);
  cloud.setFaults({});
  await a.engine.syncDataset(dataset);
  expect(logs.messages('a dataset sync failed')).toHaveLength(2);
  expect(logs.messages('a dataset sync failed: repeated')[0]).toMatchObject({ code: 'DYNAMODB_ERROR', repeated: 4 });
});

// ——— finding 4: names are data ———

test('a dataset named __proto__ is in the sync status like any other, here and on another device', async () => {
  const [a, b] = [await device(), await device()];
  a.store.openOrCreate(a.identityId, '__proto__');
  a.store.put(a.identityId, '__proto__', 'k', 'v');
  expect(Object.keys(a.engine.status().datasets)).toContain('__proto__');
  expect(a.engine.status().datasets['__proto__']).toMatchObject({ state: 'pending', pending: 2 });
  await a.engine.syncAll();
  await b.engine.syncAll();
  expect(Object.hasOwn(b.engine.status().datasets, '__proto__')).toBe(true);
  expect(b.engine.status().datasets['__proto__']).toMatchObject({ state: 'synced' });
  expect(b.records('__proto__').get('k')).toBe('v');
});
