// The local store's figures for `npm run bench` (contracts.md's results.json entries):
// single-record put and get through the store's API. (The engine's memory is measured where it
// counts, during a real first pull: engine_rss_peak_mb_100k_pull in sync-bench.ts.)
// Alone: node --import tsx bench/local-store-bench.ts  → prints the figures as JSON.
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
  valueBytes?: number;
  /** A scratch dir (removed afterwards); default a new temp dir. */
  dir?: string;
}

const IDENTITY = 'us-east-1:00000000-0000-4000-8000-0000000bench0';

export function benchLocalStore(options: LocalStoreBenchOptions = {}): BenchFigure[] {
  const operations = options.operations ?? 2_000;
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

    return [
      { name: 'local_put_ops_per_s', value: round(operations / putSeconds), unit: 'ops/s', baseline: `store.put of ${value.length}-byte values, each one durable transaction (synchronous=FULL)` },
      { name: 'local_get_ops_per_s', value: round(operations / getSeconds), unit: 'ops/s', baseline: 'store.getRecord of the same keys' },
    ];
  } finally {
    if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(benchLocalStore(), null, 2));
