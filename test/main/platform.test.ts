import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { profileIdOf } from '../../main/platform';

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
