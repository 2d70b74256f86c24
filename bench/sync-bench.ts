// The sync engine's figures for `npm run bench`, at 100,000 records of 1 KiB: the engine's first
// pull (seconds, and against the fastest raw SDK pull with the same concurrency), its push against
// the same TransactWriteItems sent directly, the engine's peak memory during the pull (a child
// process running the engine with the SDK) and the SQLite file it leaves, and what a sync with
// nothing or one thing changed costs in requests (counted at the local cloud's gateway) and time.
// Every comparison runs both sides on the same localcloud and gateway, alternating who goes first,
// each side a signed-in demo user with the app's own DynamoDB client.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AttributeValue, QueryCommand, TransactWriteItemsCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { LocalCloud } from '../localcloud/start-local-cloud';
import * as remote from '../main/aws/dataset-table';
import { splitRange } from '../main/datasets/store/streamed-pull';
import { PULL_RANGES, subRangesFor } from '../main/datasets/sync/pull-changes';
import { datasetSortKey, PARTITION_KEY, recordSortKey, SORT_KEY, SYNC_KEY_ATTRIBUTE, SYNC_KEY_INDEX, syncKey } from '../main/aws/table-schema';
import { signInCloudUser } from '../test/support/cloud-user';
import { openSyncDevice, requestsOf, type SyncDevice } from '../test/support/sync-device';
import type { EnginePullRequest, EnginePullResult } from './engine-pull-child';
import type { BenchFigure } from './local-store-bench';
import { median, spread } from './stats';

export interface SyncBenchOptions {
  /** Records pushed and pulled (100,000 for the figures). */
  records?: number;
  valueBytes?: number;
  /** Datasets of the no-change sync (20 for the figure). */
  datasets?: number;
  /** Alternating raw/engine rounds of the push and pull figures (≥ 3; the median counts, the range is printed). */
  rounds?: number;
  /** Which figures to measure; all when absent. */
  only?: ReadonlySet<string>;
}

export const SYNC_FIGURES = [
  'first_pull_100k_s',
  'first_pull_100k_vs_raw_parallel',
  'push_100k_vs_raw',
  'engine_rss_peak_mb_100k_pull',
  'sqlite_file_mb_100k',
  'no_change_sync_requests',
  'one_change_sync_requests',
  'one_change_sync_ms',
] as const;

/** Parallel Query streams of the raw pull: what the engine's pull may use too. */
export const RAW_PULL_STREAMS = PULL_RANGES;

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

/**
 * The baseline pull, as fast as the SDK goes with RAW_PULL_STREAMS requests in flight: the sync
 * counts 1..through cut into as many sub-ranges as the engine cuts them (subRangesFor: ~2,000
 * records each, since a long range costs DynamoDB Local more per page), RAW_PULL_STREAMS read at a
 * time, each page after page (of the engine's page size) with a consistent Query on the bySyncKey
 * index, every item kept in memory (as a pull must hold a page to write it).
 */
async function rawParallelPull(device: SyncDevice, dataset: string, through: number, records: number): Promise<number> {
  const { client, tableName, identityId } = device.table;
  const kept: Record<string, AttributeValue>[][] = [];
  const readRange = async (from: number, to: number) => {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: SYNC_KEY_INDEX,
          KeyConditionExpression: '#pk = :pk AND #syncKey BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#syncKey': SYNC_KEY_ATTRIBUTE },
          ExpressionAttributeValues: { ':pk': S(identityId), ':from': S(syncKey(dataset, from)), ':to': S(syncKey(dataset, to)) },
          ConsistentRead: true,
          Limit: remote.PULL_PAGE_ITEMS,
          ExclusiveStartKey: start,
        }),
      );
      kept.push(page.Items ?? []);
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
  };
  const queue = splitRange(1, through, subRangesFor({ recordCount: records }, RAW_PULL_STREAMS));
  const stream = async () => {
    for (let range = queue.shift(); range !== undefined; range = queue.shift()) await readRange(range.from, range.to);
  };
  await Promise.all(Array.from({ length: Math.min(RAW_PULL_STREAMS, queue.length) }, stream));
  return kept.reduce((sum, page) => sum + page.length, 0);
}

/** The engine's first pull into a new device, in a child process of its own (see engine-pull-child.ts). */
function childPull(request: EnginePullRequest): Promise<EnginePullResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./engine-pull-child.ts', import.meta.url)), JSON.stringify(request)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the engine's pull in a child process failed (${code}): ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as EnginePullResult);
    });
  });
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: performance.now() - start, value };
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

export async function benchSync(cloud: LocalCloud, options: SyncBenchOptions = {}): Promise<BenchFigure[]> {
  const count = options.records ?? 100_000;
  const valueBytes = options.valueBytes ?? 1024;
  const quietDatasets = options.datasets ?? 20;
  const rounds = options.rounds ?? 3;
  const wanted = (name: string) => options.only === undefined || options.only.has(name);
  const root = await mkdtemp(join(tmpdir(), 'sync-bench-'));
  const devices: SyncDevice[] = [];
  const figures: BenchFigure[] = [];
  const total = (identityId: string) => Object.values(requestsOf(cloud.requestCounts(), identityId)).reduce((sum, each) => sum + each, 0);
  const cloudForChild = { ...cloud.describe(), users: cloud.users };
  try {
    // The baseline runs as another demo user, through the same gateway and policy, so the devices'
    // syncAll never meets its datasets.
    const [user, rawUser] = [await signInCloudUser(cloud, root, 0), await signInCloudUser(cloud, root, 1)];
    const open = async (who = user, profileDir?: string) => {
      const device = await openSyncDevice(who, root, profileDir === undefined ? {} : { profileDir });
      devices.push(device);
      return device;
    };
    const [writer, rawDevice] = [await open(), await open(rawUser)];
    const { identityId } = writer;
    const records = benchRecords(count, valueBytes);
    const storedBytes = records.reduce((sum, record) => sum + Buffer.byteLength(record.key) + Buffer.byteLength(record.value), 0);
    // Connections, credentials and DynamoDB Local's JIT warmed on a throwaway dataset, both ways.
    writer.store.openOrCreate(identityId, 'bench-warm-up');
    writer.store.putMany(identityId, 'bench-warm-up', records.slice(0, 300));
    await writer.engine.syncDataset('bench-warm-up');
    await rawPush(rawDevice, 'bench-warm-up', records.slice(0, 300));
    await rawParallelPull(rawDevice, 'bench-warm-up', 4, 300);

    /** One round: raw push, engine push, raw pull, engine first pull into an empty device (a child process). */
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
      const readerDir = await mkdtemp(join(root, 'reader-'));
      const [rawPulled, pulled] = await inTurn(
        () => timed(() => rawParallelPull(rawDevice, dataset, Math.ceil(count / remote.MAX_COMMIT_RECORDS), count)),
        () => childPull({ cloud: cloudForChild, user: 0, root, profileDir: readerDir, dataset, warmUp: 'bench-warm-up' }),
      );
      if (rawPulled.value !== count) throw new Error(`the raw Query read ${rawPulled.value} of ${count} items`);
      if (pulled.pulled !== count) throw new Error(`the engine pulled ${pulled.pulled} of ${count} records`);
      return { dataset, readerDir, push: { engine: pushed.ms, raw: rawPushed.ms }, pull: { engine: pulled.ms, raw: rawPulled.ms }, child: pulled };
    };

    const big = ['first_pull_100k_s', 'first_pull_100k_vs_raw_parallel', 'push_100k_vs_raw', 'engine_rss_peak_mb_100k_pull', 'sqlite_file_mb_100k'].some(wanted);
    const oneChange = wanted('one_change_sync_requests') || wanted('one_change_sync_ms');
    const passes = big || oneChange ? [await pushAndPull(1)] : [];
    let reader: SyncDevice | undefined;

    if (wanted('no_change_sync_requests') || oneChange) {
      // The reader is the device whose first pull was timed: it holds the big dataset.
      reader = passes[0] === undefined ? await open() : await open(user, passes[0].readerDir);
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

    if (oneChange && reader !== undefined) {
      const { dataset } = passes[0]!;
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
          target: 2,
          baseline: `the larger of: the writer's syncAll pushing one changed record (${pushRequests}) and the reader's syncAll receiving it (${pullRequests}), ${quietDatasets + 2} datasets, counted at the gateway`,
        });
      }
      if (wanted('one_change_sync_ms')) {
        figures.push({
          name: 'one_change_sync_ms',
          value: round(received.ms, 1),
          unit: 'ms',
          target: 100,
          baseline: `the reader's syncAll receiving one changed record in a dataset of ${count} records (${quietDatasets + 2} datasets held, all synced before)`,
        });
      }
    }

    if (big) {
      // More rounds alternate raw and engine under the same load; medians count, ranges are printed.
      for (let pass = 2; pass <= rounds; pass += 1) passes.push(await pushAndPull(pass));
      const pullSeconds = passes.map((pass) => pass.pull.engine / 1000);
      const pullRatios = passes.map((pass) => pass.pull.engine / pass.pull.raw);
      const pushRatios = passes.map((pass) => pass.push.engine / pass.push.raw);
      const rss = passes.map((pass) => Math.max(pass.child.rssMaxMb, pass.child.rssSampledPeakMb));
      const sqliteMb = passes.map((pass) => pass.child.sqliteBytes / 2 ** 20);
      const storedMb = storedBytes / 2 ** 20;
      const ms = (values: number[]) => values.map((value) => Math.round(value)).join(', ');
      if (wanted('first_pull_100k_s')) {
        figures.push({
          name: 'first_pull_100k_s',
          value: round(median(pullSeconds), 2),
          unit: 's',
          target: 20,
          baseline: `engine.syncDataset into an empty device (a child process), ${count} records of ${valueBytes} B, SQLite writes included; ${spread(pullSeconds, 2)} s`,
        });
      }
      if (wanted('first_pull_100k_vs_raw_parallel')) {
        figures.push({
          name: 'first_pull_100k_vs_raw_parallel',
          value: round(median(pullRatios)),
          unit: 'ratio',
          target: 1.25,
          baseline: `the engine's first pull (${ms(passes.map((pass) => pass.pull.engine))} ms) vs the same ${subRangesFor({ recordCount: count }, RAW_PULL_STREAMS)} sync-count sub-ranges of the bySyncKey index read ${RAW_PULL_STREAMS} at a time with paginated consistent Queries, items kept in memory (${ms(passes.map((pass) => pass.pull.raw))} ms); ${spread(pullRatios, 2)}`,
        });
      }
      if (wanted('push_100k_vs_raw')) {
        figures.push({
          name: 'push_100k_vs_raw',
          value: round(median(pushRatios)),
          unit: 'ratio',
          target: 1.15,
          baseline: `engine.syncDataset pushing ${count} records of ${valueBytes} B (${ms(passes.map((pass) => pass.push.engine))} ms) vs the same ${Math.ceil(count / remote.MAX_COMMIT_RECORDS)} TransactWriteItems of ${remote.MAX_COMMIT_RECORDS} records sent one after another with the SDK directly (${ms(passes.map((pass) => pass.push.raw))} ms); ${spread(pushRatios, 2)}`,
        });
      }
      if (wanted('engine_rss_peak_mb_100k_pull')) {
        figures.push({
          name: 'engine_rss_peak_mb_100k_pull',
          value: round(median(rss), 1),
          unit: 'MB',
          target: 250,
          baseline: `peak resident memory of a Node process running the engine with the SDK and SQLite through a first pull of ${count} records of ${valueBytes} B (the kernel's high-water mark and 5 ms samples); ${spread(rss, 1)} MB`,
        });
      }
      if (wanted('sqlite_file_mb_100k')) {
        figures.push({
          name: 'sqlite_file_mb_100k',
          value: round(median(sqliteMb), 1),
          unit: 'MB',
          target: round(1.5 * storedMb, 1),
          baseline: `the database file plus its WAL after the first pull of ${count} records; target 1.5 × the ${storedMb.toFixed(1)} MB of keys and values stored; ${spread(sqliteMb, 1)} MB`,
        });
      }
    }
    return figures;
  } finally {
    for (const device of devices) device.close();
    await rm(root, { recursive: true, force: true });
  }
}
