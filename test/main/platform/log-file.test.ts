import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { openLogFile } from '../../../main/platform/log-file';

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
