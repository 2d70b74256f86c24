// When cached credentials are handed out, renewed in the background or renewed first; and that a
// renewal is one fetch however many ask, and is not kept across a clear.
import { expect, test } from 'vitest';
import { createCredentialsCache, renewal } from '../../../main/aws/credentials-cache';
import { silentLogger } from '../../../main/platform/log';

test('credentials are kept outside the margin, kept and renewed inside it, and renewed first when nearly expired', () => {
  expect(renewal(301, 300)).toBe('keep');
  expect(renewal(300, 300)).toBe('keepAndRenew');
  expect(renewal(31, 300)).toBe('keepAndRenew');
  expect(renewal(30, 300)).toBe('renew');
  expect(renewal(-5, 300)).toBe('renew');
  // A small margin: the "nearly expired" floor is half of it.
  expect(renewal(7, 6)).toBe('keep');
  expect(renewal(4, 6)).toBe('keepAndRenew');
  expect(renewal(3, 6)).toBe('renew');
});

function cacheAt(clock: { now: number }, lifetimeSeconds: number) {
  const fetches: string[] = [];
  const pending: Array<() => void> = [];
  const cache = createCredentialsCache<string, { id: number; expiration: Date }>({
    fetch: (key) => {
      fetches.push(key);
      const id = fetches.length;
      return new Promise((resolve) => pending.push(() => resolve({ id, expiration: new Date(clock.now + lifetimeSeconds * 1000) })));
    },
    name: (key) => key,
    expiration: (credentials) => credentials.expiration,
    now: () => clock.now,
    marginSeconds: 300,
    log: silentLogger,
  });
  const settle = () => pending.splice(0).forEach((resolve) => resolve());
  return { cache, fetches, settle };
}

test('callers asking together share one fetch, and fresh credentials come from the cache', async () => {
  const clock = { now: 0 };
  const { cache, fetches, settle } = cacheAt(clock, 3600);
  const both = Promise.all([cache.get('alice'), cache.get('alice')]);
  settle();
  const [first, second] = await both;
  expect(first).toBe(second);
  expect(await cache.get('alice')).toBe(first);
  expect(fetches).toEqual(['alice']);
  expect(cache.holdsOther('alice')).toBe(false);
  expect(cache.holdsOther('bob')).toBe(true);
});

test('inside the margin the cached credentials come back at once while new ones are fetched', async () => {
  const clock = { now: 0 };
  const { cache, fetches, settle } = cacheAt(clock, 3600);
  const first = cache.get('alice');
  settle();
  const cached = await first;
  clock.now = (3600 - 100) * 1000;
  expect(await cache.get('alice')).toBe(cached);
  expect(fetches).toHaveLength(2);
  settle();
  await new Promise((resolve) => setImmediate(resolve));
  expect((await cache.get('alice')).id).toBe(2);
});

test('an answer that arrives after a clear is handed to its caller but not kept', async () => {
  const clock = { now: 0 };
  const { cache, fetches, settle } = cacheAt(clock, 3600);
  const before = cache.get('alice');
  cache.clear();
  settle();
  expect((await before).id).toBe(1);
  const after = cache.get('alice');
  settle();
  expect((await after).id).toBe(2);
  expect(fetches).toEqual(['alice', 'alice']);
});
