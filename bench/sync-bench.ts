// The sync engine's figures for `npm run bench`: a push and a first pull of 10,000 records of
// 1 KiB, each against a minimal script doing the same DynamoDB requests with the SDK directly, and
// what a sync with nothing or one thing changed costs in requests (counted at the gateway) and time.
// Every ratio compares two runs on the same localcloud and gateway, each side a signed-in demo user
// with the app's own DynamoDB client, so only the engine's own work differs.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AttributeValue, QueryCommand, TransactWriteItemsCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { LocalCloud } from '../localcloud/start-local-cloud';
import * as remote from '../main/aws/dataset-table';
import { datasetSortKey, PARTITION_KEY, recordSortKey, SORT_KEY, SYNC_KEY_ATTRIBUTE, SYNC_KEY_INDEX, syncKey } from '../main/aws/table-schema';
import { signInCloudUser } from '../test/support/cloud-user';
import { openSyncDevice, requestsOf, type SyncDevice } from '../test/support/sync-device';
import type { BenchFigure } from './local-store-bench';

export interface SyncBenchOptions {
  /** Records pushed and pulled (10,000 for the figures). */
  records?: number;
  valueBytes?: number;
  /** Datasets of the no-change sync (20 for the figure). */
  datasets?: number;
  /** Alternating raw/engine rounds of the push and pull ratios (the median round counts). */
  rounds?: number;
  /** Which figures to measure; all when absent. */
  only?: ReadonlySet<string>;
}

export const SYNC_FIGURES = [
  'push_10k_vs_raw',
  'first_pull_10k_vs_raw',
  'no_change_sync_requests',
  'one_change_sync_requests',
  'one_change_sync_vs_full_pull',
] as const;

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });

/** The engine's records as plain data: the same keys and 1 KiB values on both sides. */
function benchRecords(records: number, valueBytes: number): { key: string; value: string }[] {
  return Array.from({ length: records }, (_, index) => ({ key: `record-${String(index).padStart(6, '0')}`, value: `${index}:`.padEnd(valueBytes, 'v') }));
}

/**
 * The baseline push: one TransactWriteItems per 99 records, a header update conditioned on the
 * syncCount plus the record puts, item for item the shape commitChanges writes — and nothing else.
 */
async function rawPush(device: SyncDevice, dataset: string, records: { key: string; value: string }[]): Promise<void> {
  const { client, tableName, identityId } = device.table;
  const now = Date.now();
  let syncCount = 0;
  for (let start = 0; start < records.length; start += remote.MAX_COMMIT_RECORDS) {
    const next = syncCount + 1;
    const header: TransactWriteItem = {
      Update: {
        TableName: tableName,
        Key: { [PARTITION_KEY]: S(identityId), [SORT_KEY]: S(datasetSortKey(dataset)) },
        ...(syncCount === 0
          ? { ConditionExpression: 'attribute_not_exists(#pk)' }
          : { ConditionExpression: '#syncCount = :expected' }),
        UpdateExpression:
          'SET #syncCount = :next, #generation = :generation, #deleted = :false, #lastModified = :now, #lastModifiedBy = :device, #recordCount = :recordCount, #sizeBytes = :sizeBytes',
        ExpressionAttributeNames: {
          ...(syncCount === 0 ? { '#pk': PARTITION_KEY } : {}),
          '#syncCount': 'syncCount',
          '#generation': 'generation',
          '#deleted': 'deleted',
          '#lastModified': 'lastModified',
          '#lastModifiedBy': 'lastModifiedBy',
          '#recordCount': 'recordCount',
          '#sizeBytes': 'sizeBytes',
        },
        ExpressionAttributeValues: {
          ...(syncCount === 0 ? {} : { ':expected': N(syncCount) }),
          ':next': N(next),
          ':generation': N(1),
          ':false': { BOOL: false },
          ':now': N(now),
          ':device': S(device.deviceId),
          ':recordCount': N(records.length),
          ':sizeBytes': N(0),
        },
      },
    };
    const puts: TransactWriteItem[] = records.slice(start, start + remote.MAX_COMMIT_RECORDS).map((record) => ({
      Put: {
        TableName: tableName,
        Item: {
          [PARTITION_KEY]: S(identityId),
          [SORT_KEY]: S(recordSortKey(dataset, record.key)),
          [SYNC_KEY_ATTRIBUTE]: S(syncKey(dataset, next)),
          value: S(record.value),
          deleted: { BOOL: false },
          syncCount: N(next),
          generation: N(1),
          lastModified: N(now),
          lastModifiedBy: S(device.deviceId),
          deviceLastModified: N(now),
        },
      },
    }));
    await client.send(new TransactWriteItemsCommand({ TransactItems: [header, ...puts], ClientRequestToken: randomUUID() }));
    syncCount = next;
  }
}

/** The baseline pull: every page of the same consistent Query on the bySyncKey index, items kept in memory. */
async function rawPull(device: SyncDevice, dataset: string, through: number): Promise<number> {
  const { client, tableName, identityId } = device.table;
  let items = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: SYNC_KEY_INDEX,
        KeyConditionExpression: '#pk = :pk AND #syncKey BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#syncKey': SYNC_KEY_ATTRIBUTE },
        ExpressionAttributeValues: { ':pk': S(identityId), ':from': S(syncKey(dataset, 1)), ':to': S(syncKey(dataset, through)) },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items += page.Items?.length ?? 0;
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: performance.now() - start, value };
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/** The round whose engine/raw ratio is the median one. */
function medianRound(rounds: { engine: number; raw: number }[]): { engine: number; raw: number } {
  const sorted = [...rounds].sort((one, other) => one.engine / one.raw - other.engine / other.raw);
  return sorted[(sorted.length - 1) >> 1]!;
}

export async function benchSync(cloud: LocalCloud, options: SyncBenchOptions = {}): Promise<BenchFigure[]> {
  const count = options.records ?? 10_000;
  const valueBytes = options.valueBytes ?? 1024;
  const quietDatasets = options.datasets ?? 20;
  const rounds = options.rounds ?? 3;
  const wanted = (name: string) => options.only === undefined || options.only.has(name);
  const root = await mkdtemp(join(tmpdir(), 'sync-bench-'));
  const devices: SyncDevice[] = [];
  const figures: BenchFigure[] = [];
  const total = (identityId: string) => Object.values(requestsOf(cloud.requestCounts(), identityId)).reduce((sum, each) => sum + each, 0);
  try {
    // The baseline runs as another demo user, through the same gateway and policy, so the devices'
    // syncAll never meets its datasets.
    const [user, rawUser] = [await signInCloudUser(cloud, root, 0), await signInCloudUser(cloud, root, 1)];
    const open = async (who = user) => {
      const device = await openSyncDevice(who, root);
      devices.push(device);
      return device;
    };
    const [writer, rawDevice] = [await open(), await open(rawUser)];
    let reader = await open();
    const { identityId } = writer;
    const records = benchRecords(count, valueBytes);
    // Connections, credentials and DynamoDB Local's JIT warmed on a throwaway dataset, both ways.
    writer.store.openOrCreate(identityId, 'bench-warm-up');
    writer.store.putMany(identityId, 'bench-warm-up', records.slice(0, 300));
    await writer.engine.syncDataset('bench-warm-up');
    await reader.engine.syncDataset('bench-warm-up');
    await rawPush(rawDevice, 'bench-warm-up', records.slice(0, 300));
    await rawPull(rawDevice, 'bench-warm-up', 4);

    /** One round: raw push, engine push, raw pull, engine first pull into an empty device. */
    const pushAndPull = async (pass: number) => {
      const dataset = `bench-${pass}`;
      // Who goes first alternates, so a table that grows or a load that shifts favours neither side.
      const inTurn = async <A, B>(raw: () => Promise<A>, engine: () => Promise<B>): Promise<[A, B]> => {
        if (pass % 2 === 1) {
          const first = await raw();
          return [first, await engine()];
        }
        const first = await engine();
        return [await raw(), first];
      };
      writer.store.openOrCreate(identityId, dataset);
      writer.store.putMany(identityId, dataset, records);
      const [rawPushed, pushed] = await inTurn(
        () => timed(() => rawPush(rawDevice, dataset, records)),
        () => timed(() => writer.engine.syncDataset(dataset)),
      );
      if (pushed.value.pushed !== count) throw new Error(`the engine pushed ${pushed.value.pushed} of ${count} records`);
      if (pass > 1) reader = await open();
      const [rawPulled, pulled] = await inTurn(
        () => timed(() => rawPull(rawDevice, dataset, Math.ceil(count / remote.MAX_COMMIT_RECORDS))),
        () => timed(() => reader.engine.syncDataset(dataset)),
      );
      if (rawPulled.value !== count) throw new Error(`the raw Query read ${rawPulled.value} of ${count} items`);
      if (pulled.value.pulled !== count) throw new Error(`the engine pulled ${pulled.value.pulled} of ${count} records`);
      return { dataset, push: { engine: pushed.ms, raw: rawPushed.ms }, pull: { engine: pulled.ms, raw: rawPulled.ms } };
    };

    const ratios = wanted('push_10k_vs_raw') || wanted('first_pull_10k_vs_raw');
    const oneChange = wanted('one_change_sync_requests') || wanted('one_change_sync_vs_full_pull');
    const passes = ratios || oneChange ? [await pushAndPull(1)] : [];

    if (wanted('no_change_sync_requests') || oneChange) {
      for (let index = 0; index < quietDatasets; index += 1) {
        writer.store.openOrCreate(identityId, `bench-quiet-${index}`);
        writer.store.put(identityId, `bench-quiet-${index}`, 'k', `v${index}`);
      }
      await writer.engine.syncAll();
      await reader.engine.syncAll();
      cloud.resetRequestCounts();
      await reader.engine.syncAll();
      if (wanted('no_change_sync_requests')) {
        figures.push({
          name: 'no_change_sync_requests',
          value: total(identityId),
          unit: 'requests',
          target: 1,
          baseline: `requests counted at the gateway for one syncAll of a device holding ${reader.store.listDatasets(identityId).length} synced datasets (${quietDatasets} of one record, the others the bench's), nothing changed anywhere`,
        });
      }
    }

    if (oneChange) {
      const { dataset, pull } = passes[0]!;
      const changed = records[count >> 1]!.key;
      writer.store.put(identityId, dataset, changed, 'changed on the writer');
      cloud.resetRequestCounts();
      await writer.engine.syncAll();
      const pushRequests = total(identityId);
      cloud.resetRequestCounts();
      const received = await timed(() => reader.engine.syncAll());
      const pullRequests = total(identityId);
      if (reader.store.getRecord(identityId, dataset, changed)?.value !== 'changed on the writer') throw new Error('the reader did not receive the one change');
      if (wanted('one_change_sync_requests')) {
        figures.push({
          name: 'one_change_sync_requests',
          value: Math.max(pushRequests, pullRequests),
          unit: 'requests',
          target: 3,
          baseline: `the larger of: the writer's syncAll pushing one changed record (${pushRequests}) and the reader's syncAll receiving it (${pullRequests}), ${quietDatasets + 2} datasets, counted at the gateway`,
        });
      }
      if (wanted('one_change_sync_vs_full_pull')) {
        figures.push({
          name: 'one_change_sync_vs_full_pull',
          value: round(received.ms / pull.engine, 4),
          unit: 'ratio',
          target: 0.05,
          baseline: `the reader's syncAll receiving one changed record of ${count} (${received.ms.toFixed(1)} ms) vs its first full pull of that dataset (${Math.round(pull.engine)} ms)`,
        });
      }
    }

    if (ratios) {
      // More rounds alternate raw and engine under the same load; the median round's ratio counts.
      for (let pass = 2; pass <= rounds; pass += 1) passes.push(await pushAndPull(pass));
      const push = medianRound(passes.map((pass) => pass.push));
      const pull = medianRound(passes.map((pass) => pass.pull));
      if (wanted('push_10k_vs_raw')) {
        figures.push({
          name: 'push_10k_vs_raw',
          value: round(push.engine / push.raw),
          unit: 'ratio',
          target: 1.25,
          baseline: `engine.syncDataset pushing ${count} records of ${valueBytes} B (${Math.round(push.engine)} ms) vs the same ${Math.ceil(count / 99)} TransactWriteItems of 99 records sent with the SDK directly (${Math.round(push.raw)} ms); median of ${rounds} alternating rounds`,
        });
      }
      if (wanted('first_pull_10k_vs_raw')) {
        figures.push({
          name: 'first_pull_10k_vs_raw',
          value: round(pull.engine / pull.raw),
          unit: 'ratio',
          target: 1.5,
          baseline: `engine.syncDataset into an empty device, SQLite writes included (${Math.round(pull.engine)} ms) vs a raw paginated consistent Query of the same ${count} items on the bySyncKey index (${Math.round(pull.raw)} ms); median of ${rounds} alternating rounds`,
        });
      }
    }
    return figures;
  } finally {
    for (const device of devices) device.close();
    await rm(root, { recursive: true, force: true });
  }
}
