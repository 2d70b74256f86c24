// `npm run bench -- --quick` as a user runs it: it exits by itself, prints the table, and writes a
// results file with every figure the issues ask for, each a number with a target and a baseline —
// so a change that breaks the benchmark fails here instead of on the next README update.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { FIGURES, type BenchResults } from '../../bench/run';

const scratch = mkdtempSync(join(tmpdir(), 'bench-quick-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function npmRunBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'bench', '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('npm run bench -- --quick exits by itself and writes every figure with a number, a target and a baseline', async () => {
  const out = join(scratch, 'results.json');
  const run = await npmRunBench(['--quick', '--out', out]);
  expect(run.code, run.stderr).toBe(0);

  const results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;
  expect(results.machine).toMatch(/\S/);
  expect(results.figures.map((figure) => figure.name)).toEqual([...FIGURES]);
  for (const figure of results.figures) {
    expect(figure.name).toMatch(/^[a-z0-9]+(_[a-z0-9]+)*$/);
    expect(Number.isFinite(figure.value), figure.name).toBe(true);
    expect(Number.isFinite(figure.target), figure.name).toBe(true);
    expect(figure.unit, figure.name).toMatch(/\S/);
    expect(figure.baseline.length, figure.name).toBeGreaterThan(20);
    // The table names each figure too.
    expect(run.stdout).toContain(figure.name);
  }
  // Request counts are exact even at quick sizes: a quiet sync is one request whatever the datasets.
  expect(results.figures.find((figure) => figure.name === 'no_change_sync_requests')?.value).toBe(1);
}, 300_000);

test('--only measures just the named figures, and an unknown name is refused', async () => {
  const out = join(scratch, 'only.json');
  const run = await npmRunBench(['--quick', '--only', 'local_put_ops_per_s,local_get_ops_per_s', '--out', out]);
  expect(run.code, run.stderr).toBe(0);
  const results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;
  expect(results.figures.map((figure) => figure.name)).toEqual(['local_put_ops_per_s', 'local_get_ops_per_s']);

  const refused = await npmRunBench(['--quick', '--only', 'no_such_figure', '--out', join(scratch, 'refused.json')]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('unknown figure no_such_figure');
}, 60_000);

test('--help prints the options and the figures, and measures nothing', async () => {
  const help = await npmRunBench(['--help']);
  expect(help.code, help.stderr).toBe(0);
  for (const option of ['--quick', '--only', '--out', '--readme']) expect(help.stdout).toContain(option);
  for (const name of FIGURES) expect(help.stdout).toContain(name);
}, 30_000);

test('a mistyped option or figure is one line pointing at --help, not a stack', async () => {
  const option = await npmRunBench(['--qiuck']);
  expect(option.code).toBe(1);
  expect(option.stderr.trim().split('\n')).toEqual(["bench: Unknown option '--qiuck'. See npm run bench -- --help."]);

  const figure = await npmRunBench(['--only', 'no_such_figure', '--out', join(scratch, 'refused.json')]);
  expect(figure.code).toBe(1);
  expect(figure.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^bench: unknown figure no_such_figure; the figures are: .*\. See npm run bench -- --help\.$/)]);
}, 30_000);
