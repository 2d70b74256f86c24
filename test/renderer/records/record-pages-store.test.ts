import { describe, expect, test } from 'vitest';
import { commands, type CommandInput, type CommandOutput, type RecordListItem } from '../../../shared/ipc-contract';
import { createRecordPagesStore, type PagesClock } from '../../../renderer/src/records/record-pages-store';
import { PAGE_ROWS, rowIndexOf, SETTLE_MS } from '../../../renderer/src/records/record-pages';
import { manualClock } from '../../support/manual-clock';

const keyOf = (index: number) => `item-${String(index).padStart(5, '0')}`;

/**
 * records.list over `count` records, as the bridge answers it: every input checked against the
 * contract first (a request the bridge would refuse with IPC_BAD_INPUT fails here too), pages that
 * end early on bytes every `endEarlyAt` records, the requests kept for the test to read.
 */
function fakeRecords(count: number, { endEarlyAt = Infinity } = {}) {
  let keys = Array.from({ length: count }, (_, index) => keyOf(index));
  const requests: CommandInput<'records.list'>[] = [];
  const item = (key: string): RecordListItem => ({ key, preview: `value of ${key}`, truncated: false, valueBytes: 10, modifiedAt: 1, pending: false, conflicted: false });
  const list = async (input: CommandInput<'records.list'>): Promise<CommandOutput<'records.list'>> => {
    commands['records.list'].input.parse(input);
    requests.push(input);
    await Promise.resolve();
    const matching = keys.filter((key) => key.startsWith(input.prefix ?? ''));
    const after = input.cursor === undefined ? 0 : matching.findIndex((key) => key > JSON.parse(input.cursor!).after);
    const from = (after < 0 ? matching.length : after) + (input.offset ?? 0);
    const limit = Math.min(input.limit ?? 100, endEarlyAt);
    const page = matching.slice(from, from + limit);
    const more = from + page.length < matching.length;
    return {
      records: page.map(item),
      nextCursor: more && page.length > 0 ? JSON.stringify({ after: page.at(-1) }) : null,
      ...(input.count ? { total: matching.length } : {}),
    };
  };
  return {
    list,
    requests,
    remove(key: string) {
      keys = keys.filter((each) => each !== key);
    },
    add(key: string) {
      keys = [...keys, key].sort();
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A clock the test moves: `advance` runs the timers that come due, then lets the reads answer. */
function testClock() {
  const clock = manualClock();
  return { clock: clock as PagesClock, advance: clock.advance };
}

describe('the records table reads pages by offset, within what the bridge accepts', () => {
  test('past 1,500 rows, a save and a remote change read again without a request the bridge refuses', async () => {
    const records = fakeRecords(5000, { endEarlyAt: 150 });
    const { clock, advance } = testClock();
    const store = createRecordPagesStore({ list: records.list, dataset: 'Big', prefix: '', clock });
    await store.reload();
    // Scrolling down page after page, as a person does (a screenful a second), past 1,500 rows.
    for (let first = 0; first <= 1600; first += 40) {
      store.show(first, first + 30);
      await advance(1000);
    }
    expect(store.rows().rowAt(1600)?.key).toBe(keyOf(1600));
    const loadedRows = new Set(records.requests.map((request) => request.offset).filter((offset) => offset !== undefined)).size * PAGE_ROWS;
    expect(loadedRows).toBeGreaterThan(1500);

    // Any change then reads the pages on screen again, each request within the contract (it parses above).
    await store.reload();
    await store.reload();
    expect(store.rows().count).toBe(5000);
    expect(store.rows().rowAt(1610)?.key).toBe(keyOf(1610));
    expect(Math.max(...records.requests.map((request) => request.limit ?? 0))).toBeLessThanOrEqual(PAGE_ROWS);
  });

  test('End reads the last page directly, not every page before it', async () => {
    const records = fakeRecords(100_000);
    const store = createRecordPagesStore({ list: records.list, dataset: 'Big', prefix: '' });
    await store.reload();
    store.show(99_980, 99_999);
    await settle();
    expect(store.rows().rowAt(99_999)?.key).toBe(keyOf(99_999));
    expect(records.requests.length).toBeLessThanOrEqual(3);
  });

  test('changes that arrive while the pages are read make one more read, not one each', async () => {
    const records = fakeRecords(300);
    const store = createRecordPagesStore({ list: records.list, dataset: 'Small', prefix: '' });
    await store.reload();
    records.requests.length = 0;
    await Promise.all([store.reload(), store.reload(), store.reload(), store.reload()]);
    expect(records.requests.filter((request) => request.count).length).toBe(2);
  });
});

describe('a drag on the scrollbar reads only where it stops', () => {
  test('dragged through 100,000 records in 10 s, no page it passes is read; the one it stops on is, once it settles', async () => {
    const records = fakeRecords(100_000);
    const { clock, advance } = testClock();
    const store = createRecordPagesStore({ list: records.list, dataset: 'Big', prefix: '', clock });
    await store.reload();
    store.show(0, 20);
    records.requests.length = 0;
    // A frame every 16 ms, 160 rows further each time, to the last row.
    for (let first = 160; first < 99_980; first += 160) {
      store.show(first, first + 20);
      await advance(16);
      expect(store.rows().passing).toBe(true);
    }
    store.show(99_970, 99_999);
    await advance(16);
    expect(records.requests).toEqual([]);
    expect(store.rows().rowAt(99_999)).toBeUndefined();

    await advance(SETTLE_MS);
    expect(store.rows().passing).toBe(false);
    expect(store.rows().rowAt(99_999)?.key).toBe(keyOf(99_999));
    expect(records.requests.map((request) => request.offset)).toEqual([99_800]);
  });

  test('a table closed in the middle of a drag reads nothing once the drag would have settled', async () => {
    const records = fakeRecords(100_000);
    const { clock, advance } = testClock();
    const store = createRecordPagesStore({ list: records.list, dataset: 'Big', prefix: '', clock });
    await store.reload();
    store.show(0, 20);
    store.show(5_000, 5_020);
    await advance(16);
    store.show(10_000, 10_020);
    store.stop();
    records.requests.length = 0;
    await advance(SETTLE_MS * 2);
    expect(records.requests).toEqual([]);
  });

  test('scrolling at reading speed reads each page as it comes into view, without waiting', async () => {
    const records = fakeRecords(1000);
    const { clock, advance } = testClock();
    const store = createRecordPagesStore({ list: records.list, dataset: 'Small', prefix: '', clock });
    await store.reload();
    for (let first = 0; first <= 400; first += 3) {
      store.show(first, first + 30);
      await advance(16);
      expect(store.rows().passing).toBe(false);
    }
    expect(store.rows().rowAt(430)?.key).toBe(keyOf(430));
  });
});

describe('a record whose delete waits out its undo window is not shown', () => {
  test('hidden, the rows after it move up by one and the count drops; revealed, it is back in its place', async () => {
    const records = fakeRecords(10);
    const store = createRecordPagesStore({ list: records.list, dataset: 'Small', prefix: '' });
    await store.reload();
    store.hide(keyOf(3));
    expect(store.rows().count).toBe(9);
    expect(store.rows().rowAt(2)?.key).toBe(keyOf(2));
    expect(store.rows().rowAt(3)?.key).toBe(keyOf(4));
    expect(store.rows().rowAt(8)?.key).toBe(keyOf(9));
    store.reveal(keyOf(3));
    expect(store.rows().count).toBe(10);
    expect(store.rows().rowAt(3)?.key).toBe(keyOf(3));
  });

  test('once its delete is answered it stays hidden until a read that began after the answer, so it never flashes back', async () => {
    const records = fakeRecords(10);
    const store = createRecordPagesStore({ list: records.list, dataset: 'Small', prefix: '' });
    await store.reload();
    store.hide(keyOf(3));
    records.remove(keyOf(3));
    store.removed(keyOf(3));
    expect(store.rows().rowAt(3)?.key).toBe(keyOf(4));
    await store.reload();
    expect(store.rows().count).toBe(9);
    expect(store.rows().rowAt(3)?.key).toBe(keyOf(4));
    // The key written again later is shown again.
    records.add(keyOf(3));
    await store.reload();
    expect(store.rows().count).toBe(10);
    expect(store.rows().rowAt(3)?.key).toBe(keyOf(3));
  });

  test('a shown row maps to its place over all records, past every hidden row before it', () => {
    expect(rowIndexOf(0, [])).toBe(0);
    expect(rowIndexOf(2, [2])).toBe(3);
    expect(rowIndexOf(1, [2])).toBe(1);
    expect(rowIndexOf(2, [2, 3])).toBe(4);
    expect(rowIndexOf(5, [0, 9])).toBe(6);
  });
});
