import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { openStateStore } from '../../localcloud/state-store';

const root = mkdtempSync(join(tmpdir(), 'state-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const modeOf = (path: string) => statSync(path).mode & 0o777;

test('state written to a data dir survives reopening it', () => {
  const dir = join(root, 'kept');
  openStateStore(dir).write('users', [{ name: 'alice' }]);
  expect(openStateStore(dir).read('users')).toEqual([{ name: 'alice' }]);
});

test.skipIf(process.platform === 'win32')('a --data-dir that others can read is closed to them when opened, files and all', () => {
  const dir = join(root, 'given');
  mkdirSync(dir);
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'idp-signing-key.json'), '{}');
  chmodSync(join(dir, 'idp-signing-key.json'), 0o644);
  const store = openStateStore(dir);
  expect(modeOf(dir)).toBe(0o700);
  expect(modeOf(join(dir, 'idp-signing-key.json'))).toBe(0o600);
  store.write('users', []);
  expect(modeOf(join(dir, 'users.json'))).toBe(0o600);
});
