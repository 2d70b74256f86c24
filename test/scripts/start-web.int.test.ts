import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

const scratch = mkdtempSync(join(tmpdir(), 'start-web-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function startWeb(args: string[]) {
  // Runs the host's CLI directly (npm run start:web also builds the renderer first).
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start-web.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
}

describe('npm run start:web refuses bad input in one line, naming the fix', () => {
  test('a cloud profile that is not JSON', () => {
    const file = join(scratch, 'broken.json');
    writeFileSync(file, '{"issuer": ');
    const run = startWeb(['--cloud', file, '--profile-dir', join(scratch, 'p')]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^start:web: CLOUD_PROFILE_INVALID: The cloud profile .* is not JSON/);
  });

  test('a cloud profile with a malformed identity pool ID', () => {
    const file = join(scratch, 'bad-pool.json');
    writeFileSync(
      file,
      JSON.stringify({ issuer: 'https://tenant.eu.auth0.com/', clientId: 'abc', identityPoolId: 'nope', region: 'eu-west-1', tableName: 'datasets' }),
    );
    const run = startWeb(['--cloud', file, '--profile-dir', join(scratch, 'p')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('identityPoolId: an identity pool ID looks like us-east-1:1234abcd-');
  });

  test('a missing cloud profile file', () => {
    const run = startWeb(['--cloud', join(scratch, 'absent.json')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('CLOUD_PROFILE_INVALID: Cannot read the cloud profile');
  });

  test('an unknown option', () => {
    const run = startWeb(['--bogus']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Usage: npm run start:web -- [--profile-dir DIR] [--cloud FILE]');
  });
});
