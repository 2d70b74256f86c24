// The remote steps of the sync protocol against DynamoDB Local through the SigV4/policy gateway:
// conditional commits, their split, paged delta pulls, delete/recreate by generation, and how
// DynamoDB's refusals reach the app.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../localcloud/start-local-cloud';
import {
  commitChanges,
  commitDelete,
  getHeader,
  MAX_COMMIT_BYTES,
  pullChanges,
  purgeDeletedRecords,
  queryHeaders,
  recordItemBytes,
  splitIntoCommits,
  type DatasetTable,
  type RecordChange,
} from '../../../main/aws/dataset-table';
import { failure } from '../../support/app-error';
import { signInCloudUser, type CloudDevice } from '../../support/cloud-user';

let root: string;
let cloud: LocalCloud;
let alice: CloudDevice;
let aliceElsewhere: CloudDevice;
let bob: CloudDevice;
/** Alice on a device whose client retries up to 20 times, for the fault-injection tests. */
let patient: CloudDevice;
let datasetNumber = 0;
let aliceUser: Awaited<ReturnType<typeof signInCloudUser>>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dataset-table-int-'));
  cloud = await startLocalCloud({ inMemory: true });
  aliceUser = await signInCloudUser(cloud, root, 0);
  alice = await aliceUser.device();
  aliceElsewhere = await aliceUser.device();
  patient = await aliceUser.device({ maxAttempts: 20 });
  bob = await (await signInCloudUser(cloud, root, 1)).device();
});

afterAll(async () => {
  for (const device of [alice, aliceElsewhere, patient, bob]) device?.close();
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

beforeEach(() => cloud.setFaults({}));

/** A dataset name no other test uses (the table is shared by the whole file). */
const freshDataset = () => `table-test-${(datasetNumber += 1)}`;

const change = (key: string, value: string | undefined, deviceLastModified = 1): RecordChange => ({ key, value, deviceLastModified });

async function commitAll(table: DatasetTable, dataset: string, changes: RecordChange[], from = 0, generation = 1) {
  let syncCount = from;
  const commits = splitIntoCommits(dataset, changes);
  for (const records of commits) {
    const outcome = await commitChanges(table, { dataset, syncCount, generation, records, deviceId: 'device-a', now: Date.now() });
    if (!outcome.committed) throw new Error('unexpected conflict');
    syncCount = outcome.syncCount;
  }
  return { syncCount, commits };
}

test('a commit creates the dataset: its header counts one commit and its records come back in a pull', async () => {
  const dataset = freshDataset();
  const outcome = await commitChanges(alice.table, {
    dataset,
    syncCount: 0,
    generation: 1,
    records: [change('a', 'one'), change('b', 'two', 42)],
    deviceId: 'device-a',
    now: 1000,
    counters: { recordCount: 2, sizeBytes: 6 },
  });
  expect(outcome).toEqual({ committed: true, syncCount: 1 });
  expect(await getHeader(aliceElsewhere.table, dataset)).toMatchObject({
    dataset,
    syncCount: 1,
    generation: 1,
    deleted: false,
    recordCount: 2,
    sizeBytes: 6,
    lastModifiedBy: 'device-a',
  });
  const records = await pullChanges(aliceElsewhere.table, dataset, { after: 0, through: 1, generation: 1 });
  records.sort((one, other) => one.key.localeCompare(other.key));
  expect(records.map(({ key, value, syncCount, deviceLastModified }) => ({ key, value, syncCount, deviceLastModified }))).toEqual([
    { key: 'a', value: 'one', syncCount: 1, deviceLastModified: 1 },
    { key: 'b', value: 'two', syncCount: 1, deviceLastModified: 42 },
  ]);
});

test('of two devices committing on the same syncCount, the second is told another commit came first and writes nothing', async () => {
  const dataset = freshDataset();
  await commitAll(alice.table, dataset, [change('k', 'base')]);
  const first = await commitChanges(alice.table, { dataset, syncCount: 1, generation: 1, records: [change('k', 'mine')], deviceId: 'a', now: 1 });
  const second = await commitChanges(aliceElsewhere.table, { dataset, syncCount: 1, generation: 1, records: [change('k', 'theirs'), change('new', 'x')], deviceId: 'b', now: 2 });
  expect(first).toEqual({ committed: true, syncCount: 2 });
  expect(second).toEqual({ committed: false });
  const records = await pullChanges(alice.table, dataset, { after: 0, through: 2, generation: 1 });
  expect(records.map((record) => [record.key, record.value])).toEqual([['k', 'mine']]);
  // A second device creating a dataset that already exists is a conflict too, not an overwrite.
  expect(await commitChanges(aliceElsewhere.table, { dataset, syncCount: 0, generation: 1, records: [change('k', 'x')], deviceId: 'b', now: 3 })).toEqual({ committed: false });
});

test('a pull returns only the records committed after the given syncCount, and deletions as tombstones', async () => {
  const dataset = freshDataset();
  const { syncCount } = await commitAll(alice.table, dataset, [change('a', '1'), change('b', '2')]);
  const next = await commitChanges(alice.table, { dataset, syncCount, generation: 1, records: [change('a', undefined), change('c', '3')], deviceId: 'a', now: 1 });
  expect(next).toEqual({ committed: true, syncCount: 2 });
  const delta = await pullChanges(alice.table, dataset, { after: 1, through: 2, generation: 1 });
  delta.sort((one, other) => one.key.localeCompare(other.key));
  expect(delta.map(({ key, value, deleted }) => ({ key, value, deleted }))).toEqual([
    { key: 'a', value: undefined, deleted: true },
    { key: 'c', value: '3', deleted: false },
  ]);
  expect(await pullChanges(alice.table, dataset, { after: 2, through: 2, generation: 1 })).toEqual([]);
});

test('250 records go in commits of 99, 99 and 52, each one syncCount', async () => {
  const dataset = freshDataset();
  const changes = Array.from({ length: 250 }, (_, index) => change(`key-${index}`, `value-${index}`));
  const { syncCount, commits } = await commitAll(alice.table, dataset, changes);
  expect(commits.map((each) => each.length)).toEqual([99, 99, 52]);
  expect(syncCount).toBe(3);
  const records = await pullChanges(aliceElsewhere.table, dataset, { after: 0, through: 3, generation: 1 });
  expect(records).toHaveLength(250);
  expect(new Set(records.map((record) => record.syncCount))).toEqual(new Set([1, 2, 3]));
});

test('more than 4 MB of records is split into commits each under 4 MB, and all of it lands; the pull takes several pages', async () => {
  const dataset = freshDataset();
  // 180 KB each: DynamoDB Local counts the bySyncKey projection into the 400 KB item limit.
  const big = 'x'.repeat(180_000);
  const changes = Array.from({ length: 25 }, (_, index) => change(`big-${index}`, `${index}${big}`));
  const { syncCount, commits } = await commitAll(alice.table, dataset, changes);
  expect(commits.length).toBe(2);
  for (const records of commits) {
    expect(records.reduce((sum, each) => sum + recordItemBytes(dataset, each), 0)).toBeLessThanOrEqual(MAX_COMMIT_BYTES);
  }
  let pages = 0;
  const records = await pullChanges(aliceElsewhere.table, dataset, { after: 0, through: syncCount, generation: 1 }, () => (pages += 1));
  expect(pages).toBeGreaterThanOrEqual(3);
  expect(records.map((record) => record.value).sort()).toEqual(changes.map((each) => each.value).sort());
});

test('all headers come in one consistent Query, one request however many datasets', async () => {
  const names = Array.from({ length: 20 }, () => freshDataset());
  for (const dataset of names) await commitAll(bob.table, dataset, [change('k', dataset)]);
  cloud.resetRequestCounts();
  const headers = await queryHeaders(bob.table);
  expect(headers.map((header) => header.dataset).sort()).toEqual([...names].sort());
  expect(cloud.requestCounts()).toEqual({ [bob.identityId]: { Query: 1 } });
});

test('a deleted dataset recreated in a new generation never returns its old records; the purge removes them once', async () => {
  const dataset = freshDataset();
  const { syncCount } = await commitAll(alice.table, dataset, [change('old', 'gone'), change('kept', 'old value')]);
  expect(await commitDelete(alice.table, { dataset, syncCount, generation: 1, deviceId: 'a', now: 1 })).toEqual({ committed: true, syncCount: 2 });
  // Stale: a device still at syncCount 1 may neither write nor delete.
  expect(await commitDelete(aliceElsewhere.table, { dataset, syncCount: 1, generation: 1, deviceId: 'b', now: 2 })).toEqual({ committed: false });
  expect(await getHeader(alice.table, dataset)).toMatchObject({ syncCount: 2, deleted: true, generation: 1, recordCount: 0 });

  const recreated = await commitChanges(alice.table, { dataset, syncCount: 2, generation: 2, records: [change('kept', 'new value')], deviceId: 'a', now: 3 });
  expect(recreated).toEqual({ committed: true, syncCount: 3 });
  const header = (await getHeader(alice.table, dataset))!;
  expect(header).toMatchObject({ deleted: false, generation: 2 });
  const fromScratch = await pullChanges(aliceElsewhere.table, dataset, { after: 0, through: header.syncCount, generation: header.generation });
  expect(fromScratch.map((record) => [record.key, record.value])).toEqual([['kept', 'new value']]);

  expect(await purgeDeletedRecords(aliceElsewhere.table, header)).toBe(1);
  expect(await purgeDeletedRecords(alice.table, header)).toBe(0);
  const everything = await pullChanges(alice.table, dataset, { after: 0, through: header.syncCount, generation: header.generation });
  expect(everything.map((record) => record.key)).toEqual(['kept']);
});

test("another identity's partition is ACCESS_DENIED, naming the role's dynamodb:LeadingKeys condition", async () => {
  const intruder: DatasetTable = { ...bob.table, identityId: alice.identityId };
  for (const attempt of [
    queryHeaders(intruder),
    getHeader(intruder, 'anything'),
    commitChanges(intruder, { dataset: 'x', syncCount: 0, generation: 1, records: [change('k', 'v')], deviceId: 'b', now: 1 }),
  ]) {
    const error = await failure(attempt);
    expect(error.code).toBe('ACCESS_DENIED');
    expect(error.message).toContain('dynamodb:LeadingKeys');
    expect(error.message).toContain('${cognito-identity.amazonaws.com:sub}');
  }
});

test('throttling is retried by the SDK until it passes, and reported as THROTTLED when it never does', async () => {
  const dataset = freshDataset();
  // Half the requests are throttled; with 20 attempts a call failing for good is a one-in-a-million event.
  cloud.setFaults({ throttleRate: 0.5 });
  await commitAll(patient.table, dataset, [change('a', '1')]);
  expect(await pullChanges(patient.table, dataset, { after: 0, through: 1, generation: 1 })).toHaveLength(1);
  cloud.setFaults({ throttleRate: 1 });
  const impatient = await aliceUser.device({ maxAttempts: 2 });
  try {
    expect((await failure(queryHeaders(impatient.table))).code).toBe('THROTTLED');
  } finally {
    impatient.close();
  }
});

test('a 5xx answer is retried by the SDK', async () => {
  const dataset = freshDataset();
  cloud.setFaults({ serverErrorRate: 0.5 });
  await commitAll(patient.table, dataset, [change('a', '1'), change('b', '2')]);
  cloud.setFaults({});
  expect(await pullChanges(alice.table, dataset, { after: 0, through: 1, generation: 1 })).toHaveLength(2);
});

test('DynamoDB unreachable is NETWORK_DOWN, naming the endpoint', async () => {
  const unreachable: DatasetTable = { ...alice.table, context: { ...alice.table.context, endpoint: 'http://127.0.0.1:9' } };
  const { createDynamoDbClient } = await import('../../../main/aws/dynamodb-client');
  unreachable.client = createDynamoDbClient({ profile: { ...alice.profile, dynamodbEndpoint: 'http://127.0.0.1:9' }, credentials: alice.credentials.provider, maxAttempts: 1 });
  try {
    const error = await failure(queryHeaders(unreachable));
    expect(error.code).toBe('NETWORK_DOWN');
    expect(error.message).toContain('127.0.0.1:9');
  } finally {
    unreachable.client.destroy();
  }
});
