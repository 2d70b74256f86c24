// `npm start` as a person runs it: a bad --profile-dir or --cloud is refused in one line before
// anything is fetched, built or started; in the browser host, the terminal says which URL to open
// (stdout keeping the JSON line for scripts) and routine log lines go to the log file only.
// The Electron path's line: test/scripts/electron-fetch.int.test.ts.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { electronBinary } from '../support/electron-binary';
import { killGroup } from '../support/processes';

const scratch = mkdtempSync(join(tmpdir(), 'npm-start-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Never the Electron download: these runs are about what happens before it, or the browser host.
const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };

// A tenant the app never calls at start: nothing here needs the network or a local cloud.
const cloudFile = join(scratch, 'cloud.json');
writeFileSync(
  cloudFile,
  JSON.stringify({ issuer: 'https://tenant.eu.auth0.com/', clientId: 'abc', identityPoolId: 'eu-west-1:0f0e0d0c-1111-2222-3333-444455556666', region: 'eu-west-1', tableName: 'datasets' }),
);

function npmStart(args: string[]) {
  return spawnSync('npm', ['start', '--silent', '--', ...args], { encoding: 'utf8', env, timeout: 60_000 });
}

describe('npm start refuses a bad argument in one line, before anything starts', () => {
  test('a --profile-dir that is a file', () => {
    const file = join(scratch, 'device');
    writeFileSync(file, 'a file');
    const run = npmStart(['--profile-dir', file]);
    expect(run.status).toBe(1);
    // Not even the line about Electron: nothing was looked for or started.
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      `start: PROFILE_DIR_UNUSABLE: The profile dir ${file} is a file, not a folder. Give --profile-dir a folder (it is created when missing), or move that file away.`,
    ]);
  });

  test('a partial cloud profile', () => {
    const partial = join(scratch, 'partial.json');
    writeFileSync(partial, JSON.stringify({ issuer: 'https://tenant.eu.auth0.com/', clientId: 'abc' }));
    const run = npmStart(['--cloud', partial]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^start: CLOUD_PROFILE_INVALID: The cloud profile .* is not usable: it lacks identityPoolId, region and tableName\. /)]);
  });
});

describe.skipIf(electronBinary() !== undefined)('npm start in the browser host, on a fresh profile dir', () => {
  test('says which URL to open and where the log is; stdout keeps its lines for scripts; routine log lines stay in the log file', async () => {
    const profileDir = join(scratch, 'fresh');
    const child = spawn('npm', ['start', '--silent', '--', '--cloud', cloudFile, '--profile-dir', profileDir], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => stderr, { timeout: 90_000, interval: 200 }).toContain(' in your browser.');
      const lines = stdout.trim().split('\n');
      expect(lines).toEqual([expect.stringMatching(/so the app starts in the browser host: open the URL it prints\.$/), expect.stringMatching(/^\{"url":/)]);
      const { url } = JSON.parse(lines[1]!) as { url: string };
      const logFile = join(profileDir, 'logs', 'main.log');
      expect(stderr).toContain(`Open ${url} in your browser. Ctrl-C stops the app; its log is ${logFile}.`);
      expect(stderr).not.toContain('schema updated');
      expect(stderr).not.toMatch(/"level":/);
      await expect.poll(() => readFileSync(logFile, 'utf8')).toContain('"message":"dataset store schema updated"');
    } finally {
      killGroup(child, 'SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 120_000);
});
