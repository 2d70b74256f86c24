import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

const scratch = mkdtempSync(join(tmpdir(), 'start-web-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// A tenant the host never calls at start: nothing here needs the network or a local cloud.
const profile = { issuer: 'https://tenant.eu.auth0.com/', clientId: 'abc', identityPoolId: 'eu-west-1:0f0e0d0c-1111-2222-3333-444455556666', region: 'eu-west-1', tableName: 'datasets' };
function profileFile(): string {
  const file = join(scratch, 'profile.json');
  writeFileSync(file, JSON.stringify(profile));
  return file;
}

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
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^start:web: CLOUD_PROFILE_INVALID: The cloud profile .* is not usable: identityPoolId should be an identity pool ID, e\.g\. us-east-1:1234abcd-/),
    ]);
  });

  test('a partial cloud profile: one sentence naming every missing field, no zod lines', () => {
    const file = join(scratch, 'partial.json');
    writeFileSync(file, JSON.stringify({ issuer: 'https://tenant.eu.auth0.com/' }));
    const run = startWeb(['--cloud', file, '--profile-dir', join(scratch, 'p')]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      `start:web: CLOUD_PROFILE_INVALID: The cloud profile ${file} is not usable: it lacks clientId, identityPoolId, region and tableName. Fix the file: a cloud profile has the fields of the line npm run localcloud prints (README: --cloud FILE).`,
    ]);
  });

  test('a cloud.json saved from npm run localcloud without --silent: says so and gives the --silent command', () => {
    // npm's own banner, as `npm run localcloud > cloud.json` puts it in front of the profile.
    const banner = spawnSync('npm', ['run', 'localcloud', '--', '--help'], { encoding: 'utf8', timeout: 60_000 }).stdout.split('Usage:')[0]!;
    expect(banner).toMatch(/^\s*> auth0-cognito-desktop@\S+ localcloud\n/);
    const file = join(scratch, 'cloud.json');
    writeFileSync(file, `${banner}${JSON.stringify(profile)}\n`);
    const run = startWeb(['--cloud', file, '--profile-dir', join(scratch, 'p')]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^start:web: CLOUD_PROFILE_INVALID: The cloud profile .*cloud\.json starts with npm's banner \("> auth0-cognito-desktop@\S+ localcloud"\): it was saved without --silent\. Save it again with npm run --silent localcloud > cloud\.json\.$/),
    ]);
  });

  test.each([
    ['is a file', (file: string) => file, (file: string) => `${file} is a file, not a folder`],
    ['is under a file', (file: string) => join(file, 'device'), (file: string) => `${join(file, 'device')} cannot be a folder: ${file} is a file`],
  ])('a --profile-dir that %s: one line with PROFILE_DIR_UNUSABLE and the fix', (_case, argument, problem) => {
    const file = join(scratch, 'not-a-folder');
    writeFileSync(file, 'a file');
    const run = startWeb(['--cloud', profileFile(), '--profile-dir', argument(file)]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      `start:web: PROFILE_DIR_UNUSABLE: The profile dir ${problem(file)}. Give --profile-dir a folder (it is created when missing), or move that file away.`,
    ]);
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

describe('npm run start:web on a fresh profile dir, as a person sees it', () => {
  test('stdout holds the one JSON line, the terminal says which URL to open and where the log is, and routine log lines go only to the log file', async () => {
    const profileDir = join(scratch, 'fresh');
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start-web.ts', '--cloud', profileFile(), '--profile-dir', profileDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => stderr, { timeout: 90_000, interval: 200 }).toContain(' in your browser.');
      const url = (JSON.parse(stdout.trim()) as { url: string }).url;
      expect(stdout).toBe(`${JSON.stringify({ url })}\n`);
      const logFile = join(profileDir, 'logs', 'main.log');
      expect(stderr).toContain(`Open ${url} in your browser. Ctrl-C stops the app; its log is ${logFile}.`);
      // The terminal has no routine log line (in JSON or otherwise); the log file has them all.
      expect(stderr).not.toContain('schema updated');
      expect(stderr).not.toContain('services started');
      expect(stderr).not.toMatch(/"level":/);
      await expect.poll(() => readFileSync(logFile, 'utf8')).toContain('"message":"services started"');
      expect(readFileSync(logFile, 'utf8')).toContain('"message":"dataset store schema updated"');
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 120_000);
});
