// The local store's figures for `npm run bench` (contracts.md's results.json entries):
// single-record put and get through the store's API, and the main process's resident memory after
// opening a dataset of 100,000 records and reading its first page (measured in a fresh process,
// so the memory the benchmark itself used to build the dataset does not count).
// Alone: node --import tsx bench/local-store-bench.ts  → prints the figures as JSON.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatasetStore } from '../main/datasets/store/dataset-store';

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  target?: number;
  baseline: string;
}

export interface LocalStoreBenchOptions {
  /** Single-record puts (and then gets) to time. */
  operations?: number;
  /** Records in the dataset whose opening is measured. */
  records?: number;
  valueBytes?: number;
  /** A scratch dir (removed afterwards); default a new temp dir. */
  dir?: string;
}

const IDENTITY = 'us-east-1:00000000-0000-4000-8000-0000000bench0';
const MEASURE_OPEN = 'measure-open';

export function benchLocalStore(options: LocalStoreBenchOptions = {}): BenchFigure[] {
  const operations = options.operations ?? 2_000;
  const records = options.records ?? 100_000;
  const value = 'v'.repeat(options.valueBytes ?? 1024);
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'store-bench-'));
  try {
    const store = openDatasetStore({ profileDir: join(dir, 'ops'), deviceId: 'bench' });
    store.openOrCreate(IDENTITY, 'ops');
    const keys = Array.from({ length: operations }, (_, index) => `key-${index}`);
    const putStart = performance.now();
    for (const key of keys) store.put(IDENTITY, 'ops', key, value);
    const putSeconds = (performance.now() - putStart) / 1000;
    const getStart = performance.now();
    for (const key of keys) store.getRecord(IDENTITY, 'ops', key);
    const getSeconds = (performance.now() - getStart) / 1000;
    store.close();

    const bigDir = join(dir, 'big');
    const big = openDatasetStore({ profileDir: bigDir, deviceId: 'bench' });
    big.openOrCreate(IDENTITY, 'big');
    const chunk = 5_000;
    for (let start = 0; start < records; start += chunk) {
      const batch = Array.from({ length: Math.min(chunk, records - start) }, (_, index) => ({ key: `r${String(start + index).padStart(7, '0')}`, value }));
      big.putMany(IDENTITY, 'big', batch);
    }
    big.close();
    const rssMb = measureOpenRssMb(bigDir);

    return [
      { name: 'local_put_ops_per_s', value: round(operations / putSeconds), unit: 'ops/s', baseline: `store.put of ${value.length}-byte values, each one durable transaction (synchronous=FULL)` },
      { name: 'local_get_ops_per_s', value: round(operations / getSeconds), unit: 'ops/s', baseline: 'store.getRecord of the same keys' },
      { name: 'main_rss_mb_100k_records', value: round(rssMb), unit: 'MB', baseline: `a fresh Node process: open the store, list datasets, read the first page of ${records} records` },
    ];
  } finally {
    if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

function measureOpenRssMb(profileDir: string): number {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), MEASURE_OPEN, profileDir], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`measuring the store's memory failed: ${child.stderr}`);
  return Number(child.stdout.trim());
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === MEASURE_OPEN) {
    const store = openDatasetStore({ profileDir: process.argv[3]!, deviceId: 'bench' });
    store.listDatasets(IDENTITY);
    store.listRecords(IDENTITY, 'big', { limit: 100 });
    process.stdout.write(`${process.memoryUsage().rss / (1024 * 1024)}\n`);
    store.close();
  } else {
    console.log(JSON.stringify(benchLocalStore(), null, 2));
  }
}
