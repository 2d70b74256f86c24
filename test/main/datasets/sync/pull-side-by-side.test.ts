// How a pull reads its sub-ranges side by side: never more at once than the limit, a throttled
// sub-range back in the queue with fewer read at once from then on, any other failure stopping all.
import { describe, expect, test } from 'vitest';
import { readSideBySide, subRangesFor } from '../../../../main/datasets/sync/pull-changes';
import type { SyncContext } from '../../../../main/datasets/sync/sync-context';
import type { PullRangeProgress } from '../../../../main/datasets/store/sync-storage';
import { AppError } from '../../../../shared/errors';
import { silentLogger } from '../../../../main/platform/log';

const ranges = (count: number): PullRangeProgress[] => Array.from({ length: count }, (_, index) => ({ from: index * 10 + 1, to: index * 10 + 10, doneThrough: index * 10 }));
const ctx = (pullRanges: number) => ({ pullRanges, log: silentLogger }) as unknown as SyncContext;
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('readSideBySide', () => {
  test('reads every sub-range, at most the limit at once', async () => {
    let running = 0;
    let most = 0;
    const read: number[] = [];
    await readSideBySide(
      ctx(3),
      ranges(7),
      async (range) => {
        running += 1;
        most = Math.max(most, running);
        await tick();
        read.push(range.from);
        running -= 1;
      },
      () => undefined,
    );
    expect(read.sort((a, b) => a - b)).toEqual([1, 11, 21, 31, 41, 51, 61]);
    expect(most).toBe(3);
  });

  test('a throttled sub-range is read again, and fewer are read at once from then on', async () => {
    let running = 0;
    const runningAfterThrottle: number[] = [];
    let throttled = false;
    const done: number[] = [];
    await readSideBySide(
      ctx(4),
      ranges(8),
      async (range) => {
        running += 1;
        if (throttled) runningAfterThrottle.push(running);
        await tick();
        running -= 1;
        if (range.from === 11 && !throttled) {
          throttled = true;
          throw new AppError('THROTTLED', 'DynamoDB is receiving more requests than the table allows right now.');
        }
        done.push(range.from);
      },
      () => undefined,
    );
    expect(done.sort((a, b) => a - b)).toEqual([1, 11, 21, 31, 41, 51, 61, 71]);
    // Sub-ranges started before the throttle finish; new ones start only while fewer than 2 run.
    expect(Math.max(...runningAfterThrottle.slice(-3))).toBeLessThanOrEqual(2);
  });

  test('throttled with one at a time, or any other failure, stops the pull with that error', async () => {
    const throttle = new AppError('THROTTLED', 'DynamoDB is receiving more requests than the table allows right now.');
    await expect(readSideBySide(ctx(1), ranges(3), async () => Promise.reject(throttle), () => undefined)).rejects.toBe(throttle);
    const broken = new AppError('NETWORK_DOWN', 'The network is down.');
    const stopped: unknown[] = [];
    const started: number[] = [];
    await expect(
      readSideBySide(
        ctx(2),
        ranges(6),
        async (range) => {
          started.push(range.from);
          if (range.from === 1) throw broken;
          await tick();
        },
        (error) => stopped.push(error),
      ),
    ).rejects.toBe(broken);
    expect(stopped).toEqual([broken]);
    // No sub-range starts after the failure.
    expect(started.length).toBeLessThanOrEqual(2);
  });
});

describe('subRangesFor', () => {
  test('about one sub-range per 2,000 of the header\'s records, at least as many as read at once, at most 64', () => {
    expect(subRangesFor({ recordCount: 0 }, 4)).toBe(4);
    expect(subRangesFor({ recordCount: 4_000 }, 4)).toBe(4);
    expect(subRangesFor({ recordCount: 10_001 }, 4)).toBe(6);
    expect(subRangesFor({ recordCount: 100_000 }, 4)).toBe(50);
    expect(subRangesFor({ recordCount: 10_000_000 }, 4)).toBe(64);
    expect(subRangesFor({ recordCount: -5 }, 2)).toBe(2);
  });
});
