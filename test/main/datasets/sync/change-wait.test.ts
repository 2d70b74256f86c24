// The scheduler's wait after a local change (sync-scheduler.ts changeWaitMs): a burst is one sync
// after a quarter second of quiet, and a steady stream still syncs 2 s after its first change.
import { describe, expect, test } from 'vitest';
import { changeWaitMs, DEFAULT_CHANGE_DEBOUNCE_MS, MAX_CHANGE_WAIT_MS } from '../../../../main/datasets/sync/sync-scheduler';

/** When the sync starts for changes at `times` (ms), each one restarting the wait as the scheduler does. */
function syncStart(times: readonly number[], debounceMs = DEFAULT_CHANGE_DEBOUNCE_MS, maxWaitMs = MAX_CHANGE_WAIT_MS): number {
  let firstChangeAt: number | undefined;
  let due = Infinity;
  for (const now of times) {
    if (now >= due) return due;
    firstChangeAt ??= now;
    due = now + changeWaitMs({ now, firstChangeAt, debounceMs, maxWaitMs });
  }
  return due;
}

describe('the wait after a local change', () => {
  test('one change, or a burst of twenty within a few ms, syncs a quarter second after the last', () => {
    expect(syncStart([1_000])).toBe(1_250);
    expect(syncStart(Array.from({ length: 20 }, (_, index) => 1_000 + index))).toBe(1_269);
  });

  test('a change every 100 ms, which never leaves a quarter second of quiet, syncs 2 s after the first', () => {
    expect(syncStart(Array.from({ length: 100 }, (_, index) => 5_000 + index * 100))).toBe(7_000);
  });

  test('the wait is never negative, and never longer than the debounce', () => {
    expect(changeWaitMs({ now: 10_000, firstChangeAt: 0, debounceMs: 250, maxWaitMs: 2_000 })).toBe(0);
    expect(changeWaitMs({ now: 0, firstChangeAt: 0, debounceMs: 250, maxWaitMs: 2_000 })).toBe(250);
    expect(changeWaitMs({ now: 1_900, firstChangeAt: 0, debounceMs: 250, maxWaitMs: 2_000 })).toBe(100);
  });
});
