import { describe, expect, test } from 'vitest';
import { createPendingDeletes } from '../../../renderer/src/data/pending-deletes';
import { manualClock } from '../../support/manual-clock';

/** A clock the test moves, and the removes that reached the bridge. */
function deletesWithClock() {
  const clock = manualClock();
  const removed: string[] = [];
  const deletes = createPendingDeletes({
    windowMs: 6000,
    remove: async (dataset, key) => {
      removed.push(`${dataset}/${key}`);
      return true;
    },
    timers: { set: clock.set, clear: clock.clear },
  });
  const advance = clock.advance;
  return { deletes, removed, advance };
}

describe('a record delete waits out its undo window before it is sent', () => {
  test('the remove is sent only when the window ends', async () => {
    const { deletes, removed, advance } = deletesWithClock();
    deletes.schedule('Main', 'k');
    await advance(5999);
    expect(removed).toEqual([]);
    expect(deletes.current()).toEqual({ dataset: 'Main', key: 'k' });
    await advance(1);
    expect(removed).toEqual(['Main/k']);
    expect(deletes.current()).toBeUndefined();
  });

  test('Undo within the window sends nothing, ever', async () => {
    const { deletes, removed, advance } = deletesWithClock();
    deletes.schedule('Main', 'k');
    await advance(3000);
    expect(deletes.undo('Main')).toBe(true);
    await advance(60_000);
    await deletes.flush();
    expect(removed).toEqual([]);
  });

  test('a second delete sends the first at once; Undo then brings back only the second', async () => {
    const { deletes, removed } = deletesWithClock();
    deletes.schedule('Main', 'first');
    deletes.schedule('Main', 'second');
    await Promise.resolve();
    expect(removed).toEqual(['Main/first']);
    expect(deletes.undo()).toBe(true);
    expect(removed).toEqual(['Main/first']);
  });

  test('leaving the dataset (flush) sends it now; another dataset\'s flush leaves it waiting', async () => {
    const { deletes, removed } = deletesWithClock();
    deletes.schedule('Main', 'k');
    await deletes.flush('Other');
    expect(removed).toEqual([]);
    await deletes.flush('Main');
    expect(removed).toEqual(['Main/k']);
  });

  test('while the offer is held (pointer or focus on it) the clock stops; released, it runs a whole window again', async () => {
    const { deletes, removed, advance } = deletesWithClock();
    deletes.schedule('Main', 'k');
    await advance(5000);
    deletes.hold();
    await advance(60_000);
    expect(removed).toEqual([]);
    deletes.release();
    await advance(5999);
    expect(removed).toEqual([]);
    await advance(1);
    expect(removed).toEqual(['Main/k']);
  });

  test('subscribers hear waiting, undone, sending and sent, in that order', async () => {
    const { deletes, advance } = deletesWithClock();
    const heard: string[] = [];
    deletes.subscribe((event) => heard.push(`${event.type} ${event.key}`));
    deletes.schedule('Main', 'a');
    deletes.undo();
    deletes.schedule('Main', 'b');
    await advance(6000);
    await Promise.resolve();
    expect(heard).toEqual(['waiting a', 'undone a', 'waiting b', 'sending b', 'sent b']);
  });
});
