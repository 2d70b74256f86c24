// `npm run dist` where Electron cannot be downloaded: one line that says so, before any build step,
// instead of electron-builder failing minutes into a download it never mentioned.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { electronBinary } from '../support/electron-binary';

const dist = join(import.meta.dirname, '../../scripts/dist.mjs');

describe.skipIf(electronBinary() !== undefined)('npm run dist without an Electron binary', () => {
  test('says in one line that it would download Electron, and stops with an error before building', () => {
    const run = spawnSync(process.execPath, [dist], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^No Electron binary is installed here .* would download Electron from GitHub/);
  });
});

test('npm run dist -- --help prints its usage and exits 0, building nothing', () => {
  const run = spawnSync(process.execPath, [dist, '--help'], { encoding: 'utf8' });
  expect(run.status).toBe(0);
  expect(run.stdout.split('\n')[0]).toBe('Usage: npm run dist -- [ELECTRON_BUILDER_ARGS...]');
  expect(run.stderr).toBe('');
});
