// A table over a whole dataset reads the page at any scroll position directly (records.list's
// offset) and knows how many rows the filter matches (count), deleted records never counted.
import { expect, test } from 'vitest';
import { openTestStore } from '../../../support/dataset-store';
import { thrown } from '../../../support/app-error';

const ALICE = 'us-east-1:11111111-1111-4111-8111-111111111111';

test('an offset reads the page at that position, with or without a prefix, and count says how many match', () => {
  const store = openTestStore();
  store.openOrCreate(ALICE, 'big');
  const keys = Array.from({ length: 2_500 }, (_, index) => `${index % 2 === 0 ? 'even' : 'odd'}-${String(index).padStart(5, '0')}`);
  store.putMany(ALICE, 'big', keys.map((key) => ({ key, value: `value of ${key}` })));
  store.remove(ALICE, 'big', 'even-00000');
  const live = keys.filter((key) => key !== 'even-00000').sort();

  const middle = store.listRecords(ALICE, 'big', { offset: 1_200, limit: 5, count: true });
  expect(middle.records.map((record) => record.key)).toEqual(live.slice(1_200, 1_205));
  expect(middle.total).toBe(live.length);

  const last = store.listRecords(ALICE, 'big', { offset: live.length - 3, limit: 10 });
  expect(last.records.map((record) => record.key)).toEqual(live.slice(-3));
  expect(last.nextCursor).toBeNull();
  expect(last.total).toBeUndefined();

  // Previews past the middle are read from the end: the same pages, byte bound and cursor included.
  for (const offset of [1_249, 1_250, 2_000, live.length - 200, live.length - 1]) {
    const forward = store.listRecords(ALICE, 'big', { offset, limit: 200 });
    const previews = store.listRecords(ALICE, 'big', { offset, limit: 200, previewChars: 8 });
    expect(previews.records.map((record) => record.key)).toEqual(live.slice(offset, offset + 200));
    expect(previews.nextCursor === null).toBe(forward.nextCursor === null);
    expect(previews.records.every((record) => record.value.length <= 8 && record.truncated)).toBe(true);
  }
  const bounded = store.listRecords(ALICE, 'big', { offset: 2_000, limit: 100, previewChars: 8, maxBytes: 200 });
  expect(bounded.records.map((record) => record.key)).toEqual(live.slice(2_000, 2_000 + bounded.records.length));
  expect(bounded.records.length).toBeLessThan(100);
  expect(bounded.nextCursor).not.toBeNull();

  const odd = live.filter((key) => key.startsWith('odd-'));
  const oddPage = store.listRecords(ALICE, 'big', { prefix: 'odd-', offset: 1_000, limit: 1_000, count: true });
  expect(oddPage.records.map((record) => record.key)).toEqual(odd.slice(1_000));
  expect(oddPage.total).toBe(odd.length);
  expect(store.listRecords(ALICE, 'big', { prefix: 'even-', limit: 1, count: true }).total).toBe(1_249);

  // Past the end: an empty last page, not an error.
  expect(store.listRecords(ALICE, 'big', { offset: 10_000, limit: 10 })).toMatchObject({ records: [], nextCursor: null });
  expect(thrown(() => store.listRecords(ALICE, 'big', { offset: -1 })).code).toBe('IPC_BAD_INPUT');
  store.close();
});
