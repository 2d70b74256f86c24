// The read-only handle: read paths get statements that return rows, and never one that writes.
import Database from 'better-sqlite3';
import { expect, test } from 'vitest';
import { DEFAULT_LIMITS } from '../../../../main/datasets/limits';
import { storeContext } from '../../../../main/datasets/store/store-context';

test('a read path can read, and is refused a statement that writes', () => {
  const db = new Database(':memory:');
  const ctx = storeContext(db, { deviceId: 'device-a', now: () => 0, limits: DEFAULT_LIMITS, emit: () => undefined });
  ctx.sql('CREATE TABLE t (x)').run();
  ctx.sql('INSERT INTO t VALUES (1)').run();
  expect(ctx.snapshot(() => ctx.read('SELECT x FROM t').all())).toEqual([{ x: 1 }]);
  expect(() => ctx.read('DELETE FROM t')).toThrow('a read path prepared a statement that writes');
  db.close();
});
