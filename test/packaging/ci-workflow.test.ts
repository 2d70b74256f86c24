// The CI workflow cannot run here, so this reads it: valid YAML, the three systems, and the steps
// the build machines cannot do — aimed at the files and paths they depend on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '../..');
interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
const workflow = parse(readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8'));
const job = workflow.jobs.build as { strategy: { matrix: { include: { os: string }[] } }; steps: Step[] };
const runs = job.steps.flatMap((step) => (step.run === undefined ? [] : [step.run]));
// Command lines, with a leading `${{ … }}` prefix (xvfb-run on Linux) taken off.
const commands = runs.flatMap((run) => run.split('\n').map((line) => line.trim().replace(/^\$\{\{.*?\}\}/, '')));

test('the workflow builds on Windows, macOS and Linux with Node 22', () => {
  expect(job.strategy.matrix.include.map(({ os }) => os).sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
  expect(job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe(22);
});

test('each system installs, tests, audits production dependencies and builds its installers', () => {
  for (const command of ['npm ci', 'npm test', 'npm audit --omit=dev --audit-level=high', 'npm run dist']) {
    expect(commands).toContain(command);
  }
  expect(commands.indexOf('npm test')).toBeLessThan(commands.indexOf('npm run dist'));
});

test('on Linux, Playwright drives the packaged e2e flavour under xvfb, where electron-builder.e2e.yml puts it', () => {
  const e2e = job.steps.find((step) => step.run?.includes('E2E_PACKAGED_APP'));
  expect(e2e?.if).toBe("runner.os == 'Linux'");
  expect(e2e?.run).toContain('npm run dist -- --linux dir --config electron-builder.e2e.yml');
  expect(e2e?.run).toContain('xvfb-run -a bash test/run-all.sh test/e2e/electron-app.e2e.test.ts');
  const output = (parse(readFileSync(join(root, 'electron-builder.e2e.yml'), 'utf8')) as { directories: { output: string } }).directories.output;
  const { name } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string };
  expect(e2e?.run).toContain(`E2E_PACKAGED_APP="$PWD/${output}/linux-unpacked/${name}"`);
});

test('every action is pinned to a major version', () => {
  for (const step of job.steps.filter((step) => step.uses !== undefined)) expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
});

test('nothing in the workflow skips the Electron binary or a test step: npm test, dist and the packaged e2e test fetch and run Electron', () => {
  const text = readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8');
  const code = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');
  expect(code).not.toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD|SKIP_TYPECHECK|SKIP_BUILD|--skip|continue-on-error/);
  // The Linux job builds installers and drives the packaged app, with no condition but the OS.
  const linuxOnly = job.steps.filter((step) => step.if !== undefined);
  for (const step of linuxOnly) expect(step.if === "runner.os == 'Linux'" || step.if === "runner.os == 'macOS'" || step.if === 'always()').toBe(true);
  expect(job.steps.find((step) => step.run === 'npm run dist')?.if).toBeUndefined();
});
