import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { profileIdOf } from '../../../main/platform/platform';

const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

test('a profile keeps one random ID across runs, and two profile dirs get different IDs', async () => {
  const one = await mkdtemp(join(tmpdir(), 'profile-a-'));
  const two = await mkdtemp(join(tmpdir(), 'profile-b-'));
  made.push(one, two);
  const first = profileIdOf(join(one, 'nested'));
  expect(first).toMatch(/^[0-9a-f-]{36}$/);
  expect(profileIdOf(join(one, 'nested'))).toBe(first);
  expect((await readFile(join(one, 'nested', 'profile-id'), 'utf8')).trim()).toBe(first);
  expect(profileIdOf(two)).not.toBe(first);
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

test.skipIf(process.platform === 'win32')('a profile dir is made private, and one given already readable by others is closed when opened', async () => {
  const root = await mkdtemp(join(tmpdir(), 'profile-modes-'));
  made.push(root);
  const fresh = join(root, 'fresh');
  profileIdOf(fresh);
  expect(await modeOf(fresh)).toBe(0o700);
  expect(await modeOf(join(fresh, 'profile-id'))).toBe(0o600);

  // As a --profile-dir the user made with mkdir, holding a database an older version left 0644.
  const given = join(root, 'given');
  await mkdir(given, { mode: 0o755 });
  await chmod(given, 0o755);
  await writeFile(join(given, 'datasets.sqlite'), 'data', { mode: 0o644 });
  await chmod(join(given, 'datasets.sqlite'), 0o644);
  profileIdOf(given);
  expect(await modeOf(given)).toBe(0o700);
  expect(await modeOf(join(given, 'datasets.sqlite'))).toBe(0o600);
  expect(await modeOf(join(given, 'profile-id'))).toBe(0o600);
});
