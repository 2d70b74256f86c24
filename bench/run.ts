// `npm run bench [-- --quick] [--only name,name] [--out FILE] [--readme]`: every figure the issues
// ask for, measured on one in-process localcloud (and one Chromium), written to bench/results.json
// and printed as a table. --quick runs small sizes, as a smoke test; --readme (alone) measures
// nothing and rewrites README.md's table from bench/results.json (bench/readme-table.ts).
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { startLocalCloud, type LocalCloud } from '../localcloud/start-local-cloud';
import { launchChromium } from '../test/support/chromium';
import { benchBridge, BRIDGE_FIGURES } from './bridge-bench';
import { benchLocalStore, type BenchFigure } from './local-store-bench';
import { benchPush, PUSH_FIGURES } from './push-bench';
import { benchRender, RENDER_FIGURES } from './render-bench';
import { AT_LEAST_FIGURES, renderReadme } from './readme-table';
import { benchSync, SYNC_FIGURES } from './sync-bench';

const LOCAL_FIGURES = ['local_put_ops_per_s', 'local_get_ops_per_s'] as const;
export const FIGURES = [...SYNC_FIGURES, ...LOCAL_FIGURES, ...BRIDGE_FIGURES, ...RENDER_FIGURES, ...PUSH_FIGURES] as const;

/** Figures where more is better; every other target is a ceiling. */
const AT_LEAST = AT_LEAST_FIGURES;

// The issues name no number for the local store; these are the budgets the app is built to:
// a durable put in about a millisecond and a read far below a frame.
const LOCAL_TARGETS: Record<(typeof LOCAL_FIGURES)[number], number> = {
  local_put_ops_per_s: 1_000,
  local_get_ops_per_s: 20_000,
};

export const DEFAULT_RESULTS = join(dirname(fileURLToPath(import.meta.url)), 'results.json');

export interface BenchOptions {
  quick?: boolean;
  /** Figure names to measure; all when absent. */
  only?: readonly string[];
  out?: string;
}

export interface BenchResults {
  machine: string;
  /** When the run started (ISO 8601). */
  measuredAt?: string;
  quick: boolean;
  figures: (BenchFigure & { target: number; meets: boolean })[];
}

/** A mistake in the arguments: printed as one line, without a stack. */
function badOption(message: string): Error {
  return Object.assign(new Error(message), { code: 'BAD_OPTION' });
}

export function meetsTarget(figure: { name: string; value: number; target: number }): boolean {
  return AT_LEAST.has(figure.name) ? figure.value >= figure.target : figure.value <= figure.target;
}

function describeMachine(): string {
  const [cpu] = cpus();
  const load = loadavg().map((each) => each.toFixed(1)).join(' ');
  return `${availableParallelism()} × ${cpu?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB, ${process.platform} ${release()}, Node ${process.version}, load ${load} at start`;
}

export async function runBench(options: BenchOptions = {}): Promise<BenchResults> {
  const quick = options.quick ?? false;
  const unknown = (options.only ?? []).filter((name) => !(FIGURES as readonly string[]).includes(name));
  if (unknown.length > 0) throw badOption(`unknown figure ${unknown.join(', ')}; the figures are: ${FIGURES.join(', ')}`);
  const only = options.only === undefined || options.only.length === 0 ? undefined : new Set(options.only);
  const wants = (names: readonly string[]) => only === undefined || names.some((name) => only.has(name));
  const machine = describeMachine();
  const measuredAt = new Date().toISOString();
  const measured: BenchFigure[] = [];
  let cloud: LocalCloud | undefined;
  let browser: Browser | undefined;
  try {
    if (wants(LOCAL_FIGURES)) {
      const local = benchLocalStore(quick ? { operations: 200, rounds: 3 } : {});
      measured.push(...local.map((figure) => ({ ...figure, target: LOCAL_TARGETS[figure.name as keyof typeof LOCAL_TARGETS] })));
    }
    if (wants(SYNC_FIGURES) || wants(BRIDGE_FIGURES) || wants(RENDER_FIGURES)) cloud = await startLocalCloud({ inMemory: true });
    if (wants(SYNC_FIGURES)) {
      measured.push(...(await benchSync(cloud!, { ...(quick ? { records: 500, rounds: 1 } : {}), only })));
    }
    if (wants(BRIDGE_FIGURES) || wants(RENDER_FIGURES) || wants(PUSH_FIGURES)) browser = await launchChromium();
    if (wants(BRIDGE_FIGURES)) measured.push(...(await benchBridge(cloud!, browser!, quick ? { records: 500, roundTrips: 200 } : {})));
    if (wants(RENDER_FIGURES)) measured.push(...(await benchRender(cloud!, browser!, quick ? { records: 500, scrollMs: 1_000, rounds: 2 } : {})));
    if (wants(PUSH_FIGURES)) {
      // A cloud of its own: the sync figures leave 100k-record datasets in the demo users' partitions,
      // and a device signing in online would first pull them all.
      const pushCloud = await startLocalCloud({ inMemory: true });
      try {
        measured.push(...(await benchPush(pushCloud, browser!, { ...(quick ? { rounds: 4, baselineRounds: 1, idleMs: 5_000 } : {}), only })));
      } finally {
        await pushCloud.stop();
      }
    }
  } finally {
    await browser?.close();
    await cloud?.stop();
  }
  const figures = FIGURES.flatMap((name) => measured.filter((figure) => figure.name === name && (only === undefined || only.has(name))))
    .map((figure) => {
      if (figure.target === undefined) throw new Error(`the figure ${figure.name} has no target`);
      const withTarget = { ...figure, target: figure.target };
      return { ...withTarget, meets: meetsTarget(withTarget) };
    });
  const results: BenchResults = { machine, measuredAt, quick, figures };
  const out = options.out ?? DEFAULT_RESULTS;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  return results;
}

export function formatTable(results: BenchResults): string {
  const rows = results.figures.map((figure) => [
    figure.name,
    `${figure.value} ${figure.unit}`,
    `${AT_LEAST.has(figure.name) ? '≥' : '≤'} ${figure.target}`,
    figure.meets ? 'yes' : 'NO',
  ]);
  const header = ['figure', 'value', 'target', 'meets'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export const USAGE = `npm run bench [-- options]: measures the figures on an in-process local cloud
(and Chromium), writes them to bench/results.json and prints a table.

  --quick              small sizes (a smoke test, not the figures; npm test runs it)
  --only a,b           measure just these figures (${FIGURES.length}: ${FIGURES.join(', ')})
  --out FILE           write the results there instead of bench/results.json
  --readme             measure nothing: rewrite README.md's benchmark table from bench/results.json
                       (or --out FILE)
  --help               this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      out: { type: 'string' },
      readme: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.readme) {
    const resultsFile = values.out ?? DEFAULT_RESULTS;
    const readmeFile = join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as BenchResults;
    writeFileSync(readmeFile, renderReadme(readFileSync(readmeFile, 'utf8'), results, FIGURES));
    console.log(`README.md's benchmark table rewritten from ${resultsFile}`);
    return;
  }
  const only = values.only?.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  const results = await runBench({ quick: values.quick, only, out: values.out });
  console.log(`${results.machine}${results.quick ? ' (--quick: small sizes, not the figures)' : ''}`);
  console.log(formatTable(results));
  console.log(`\nwritten to ${values.out ?? DEFAULT_RESULTS}; npm run bench -- --readme puts it in README.md`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(
    () => {
      // Everything it started is stopped; a handle some library left open must not keep it alive.
      setTimeout(() => process.exit(0), 2_000).unref();
    },
    (error: unknown) => {
      const code = (error as { code?: unknown })?.code;
      if (code === 'BAD_OPTION' || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_'))) {
        console.error(`bench: ${(error as Error).message.replace(/\.$/, '')}. See npm run bench -- --help.`);
      } else {
        console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      }
      process.exit(1);
    },
  );
}
