import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createProfileLogger, logFileOf, openLogFile } from '../../../main/platform/log-file';

const root = mkdtempSync(join(tmpdir(), 'log-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const modeOf = (path: string) => statSync(path).mode & 0o777;

test.skipIf(process.platform === 'win32')('a logs folder and log an older version left readable by others are closed to them when opened', () => {
  const logs = join(root, 'logs');
  mkdirSync(logs, { mode: 0o755 });
  chmodSync(logs, 0o755);
  writeFileSync(join(logs, 'main.log'), 'old line\n');
  chmodSync(join(logs, 'main.log'), 0o644);
  openLogFile(root);
  expect(modeOf(logs)).toBe(0o700);
  expect(modeOf(join(logs, 'main.log'))).toBe(0o600);
});

test('routine lines go to the log file only; warnings and errors also reach the terminal, one readable redacted line each', async () => {
  const profileDir = join(root, 'fresh-profile');
  const terminal: string[] = [];
  const log = createProfileLogger(profileDir, (line) => terminal.push(line));
  const idToken = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhdXRoMHwxMjMifQ.c2lnbmF0dXJlLWJ5dGVz';
  for (let version = 1; version <= 7; version += 1) log.child('datasets').info('dataset store schema updated', { version });
  log.info('services started', { profileDir });
  log.warn('keychain unavailable; keeping the session in memory for this run', { error: new Error('Cannot autolaunch D-Bus\nwithout X11 $DISPLAY') });
  log.child('sync').error('push failed', { error: Object.assign(new Error(`refused for ${idToken}`), { code: 'ACCESS_DENIED' }) });

  expect(terminal).toEqual([
    'warning: keychain unavailable; keeping the session in memory for this run — Cannot autolaunch D-Bus without X11 $DISPLAY',
    'error (sync): push failed — ACCESS_DENIED: refused for [jwt]',
  ]);
  // electron-log writes as lines come; give its stream a moment.
  await expect.poll(() => readFileSync(logFileOf(profileDir), 'utf8').trim().split('\n').length).toBe(10);
  const lines = readFileSync(logFileOf(profileDir), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { level: string; message: string });
  expect(lines.filter((line) => line.message === 'dataset store schema updated')).toHaveLength(7);
  expect(lines.map((line) => line.level).slice(-2)).toEqual(['warn', 'error']);
  expect(readFileSync(logFileOf(profileDir), 'utf8')).not.toContain(idToken);
});
