// `npm run dist` where Electron cannot be had: one line that says why, before any build step,
// instead of electron-builder failing minutes into a download it never mentioned. (Where fetching
// works, dist fetches it: test/scripts/electron-fetch.int.test.ts, against a stand-in release.)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { electronBinary } from '../support/electron-binary';

const dist = join(import.meta.dirname, '../../scripts/dist.mjs');

describe.skipIf(electronBinary() !== undefined)('npm run dist without an Electron binary, fetching it off', () => {
  test('says in one line why there is no Electron, and stops with an error before building', () => {
    const run = spawnSync(process.execPath, [dist], { encoding: 'utf8', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Electron [\d.]+ is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD=1 says not to fetch it, and the installers need it: npm run dist stopped before building\.$/);
  });
});

test('npm run dist -- --help prints its usage and exits 0, building nothing', () => {
  const run = spawnSync(process.execPath, [dist, '--help'], { encoding: 'utf8' });
  expect(run.status).toBe(0);
  expect(run.stdout.split('\n')[0]).toBe('Usage: npm run dist -- [ELECTRON_BUILDER_ARGS...]');
  expect(run.stderr).toBe('');
});
