// The local store's figures for `npm run bench` (contracts.md's results.json entries):
// single-record put and get through the store's API, medians of alternating rounds. (The engine's memory is measured where it
// counts, during a real first pull: engine_rss_peak_mb_100k_pull in sync-bench.ts.)
// Alone: node --import tsx bench/local-store-bench.ts  → prints the figures as JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatasetStore } from '../main/datasets/store/dataset-store';
import { median, spread } from './stats';

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  target?: number;
  baseline: string;
}

export interface LocalStoreBenchOptions {
  /** Single-record puts (and then gets) per round. */
  operations?: number;
  /** Rounds of puts then gets (≥ 3; the median counts, the range is printed). */
  rounds?: number;
  valueBytes?: number;
  /** A scratch dir (removed afterwards); default a new temp dir. */
  dir?: string;
}

const IDENTITY = 'us-east-1:00000000-0000-4000-8000-0000000bench0';

/** Operations per second of `run` over `keys`. */
function rate(keys: readonly string[], run: (key: string) => void): number {
  const start = performance.now();
  for (const key of keys) run(key);
  return keys.length / ((performance.now() - start) / 1000);
}

export function benchLocalStore(options: LocalStoreBenchOptions = {}): BenchFigure[] {
  const operations = options.operations ?? 2_000;
  const rounds = Math.max(3, options.rounds ?? 5);
  const value = 'v'.repeat(options.valueBytes ?? 1024);
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'store-bench-'));
  try {
    const store = openDatasetStore({ profileDir: join(dir, 'ops'), deviceId: 'bench' });
    store.openOrCreate(IDENTITY, 'ops');
    // Puts and gets alternate round by round, so a burst of load elsewhere on the machine lands on
    // both; each round puts keys new to the dataset, then gets them. The first round is the cold one
    // (statements prepared, the JIT and the page cache warming): it is reported apart.
    const puts: number[] = [];
    const gets: number[] = [];
    for (let round = 0; round <= rounds; round += 1) {
      const keys = Array.from({ length: operations }, (_, index) => `key-${round}-${index}`);
      puts.push(rate(keys, (key) => store.put(IDENTITY, 'ops', key, value)));
      gets.push(rate(keys, (key) => store.getRecord(IDENTITY, 'ops', key)));
    }
    store.close();
    const [coldPut, ...warmPuts] = puts;
    const [coldGet, ...warmGets] = gets;

    return [
      {
        name: 'local_put_ops_per_s',
        value: round(median(warmPuts)),
        unit: 'ops/s',
        baseline: `store.put of ${value.length}-byte values, each one durable transaction (synchronous=FULL), ${operations} per round; ${spread(warmPuts, 0)} (the cold first round: ${coldPut!.toFixed(0)})`,
      },
      {
        name: 'local_get_ops_per_s',
        value: round(median(warmGets)),
        unit: 'ops/s',
        baseline: `store.getRecord of the keys just put, ${operations} per round; ${spread(warmGets, 0)} (the cold first round: ${coldGet!.toFixed(0)})`,
      },
    ];
  } finally {
    if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(benchLocalStore(), null, 2));
