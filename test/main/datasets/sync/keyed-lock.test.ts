// One chain per key: tasks of a key run one after another, whatever the previous one did; other keys do not wait.
import { expect, test } from 'vitest';
import { createKeyedLock } from '../../../../main/datasets/sync/keyed-lock';

test('a task for a key starts only after the previous one for it has settled, even when it failed; another key does not wait', async () => {
  const lock = createKeyedLock();
  const order: string[] = [];
  let release!: () => void;
  const first = lock.run('a', () => new Promise<void>((resolve) => (release = resolve)).then(() => void order.push('a1')));
  const failing = lock.run('a', async () => {
    order.push('a2');
    throw new Error('boom');
  });
  const third = lock.run('a', async () => void order.push('a3'));
  await lock.run('b', async () => void order.push('b1'));
  expect(order).toEqual(['b1']);
  release();
  await first;
  await expect(failing).rejects.toThrow('boom');
  await third;
  expect(order).toEqual(['b1', 'a1', 'a2', 'a3']);
  await Promise.all(lock.pending());
  expect(lock.pending()).toEqual([]);
});
