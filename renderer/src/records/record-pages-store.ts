// The rows of one dataset's table under one filter: the pages read so far, the count, and the keys
// the page hides (a delete waiting out its undo window, or sent and not yet read again). The table
// asks for the rows it shows; a change to the dataset reads the pages on screen again (one read at
// a time, one more after it for changes that arrived meanwhile). A drag passing through pages reads
// none of them: only where it slows or stops (record-pages.ts isPassing). Plain state with a
// subscription, read by React through useSyncExternalStore.
import type { RecordListItem } from '../../../shared/ipc-contract';
import { hiddenRowIndices, isPassing, keepNear, pageOf, readPage, rowAt, rowIndexOf, SETTLE_MS, type ListRecords, type Pages } from './record-pages';

export interface RecordRows {
  /** Rows shown: the records the filter matches less the hidden ones; undefined until counted. */
  count: number | undefined;
  rowAt(shown: number): RecordListItem | undefined;
  /** The window is passing through pages too fast to read them (a drag on the scrollbar). */
  passing: boolean;
}

export interface RecordPagesStore {
  rows(): RecordRows;
  subscribe(listener: () => void): () => void;
  /**
   * The table draws rows `from` to `to` (as shown), `visible` the first on screen: reads the pages
   * they need, two at a time — unless the rows on screen are passing through (then once they settle).
   */
  show(from: number, to: number, visible?: number): void;
  /** Reads the count and the pages on screen again. */
  reload(): Promise<void>;
  /** Hides a key until `reveal`, or (after `removed`) until the pages are read again. */
  hide(key: string): void;
  reveal(key: string): void;
  /** The key's delete was answered: it stays hidden until a read that began after now. */
  removed(key: string): void;
  /** The table is gone: a drag it was in the middle of settles nowhere (no read once it would have). */
  stop(): void;
}

const IN_FLIGHT_MAX = 2;

/** The time and the timer the store paces its reads with (a test moves its own). */
export interface PagesClock {
  now(): number;
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realClock: PagesClock = {
  now: () => performance.now(),
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createRecordPagesStore({
  list,
  dataset,
  prefix,
  clock = realClock,
}: {
  list: ListRecords;
  dataset: string;
  prefix: string;
  clock?: PagesClock;
}): RecordPagesStore {
  let pages: Map<number, readonly RecordListItem[]> = new Map();
  let total: number | undefined;
  /** Hidden keys: 'waiting' until revealed, or the generation in which their delete was answered. */
  const hidden = new Map<string, 'waiting' | number>();
  let generation = 0;
  let shown = { from: 0, to: 0 };
  let lastMove: { from: number; at: number } | undefined;
  let passing = false;
  let settle: unknown;
  let reading = false;
  let readAgain = false;
  const inFlight = new Set<number>();
  const failed = new Set<number>();
  const listeners = new Set<() => void>();
  let rows: RecordRows & { skipped: readonly number[] } = { count: undefined, rowAt: () => undefined, passing, skipped: [] };

  const publish = () => {
    const skipped = hiddenRowIndices(pages, new Set(hidden.keys()));
    const snapshot = pages;
    rows = {
      count: total === undefined ? undefined : Math.max(0, total - skipped.length),
      rowAt: (index) => rowAt(snapshot, rowIndexOf(index, skipped)),
      passing,
      skipped,
    };
    listeners.forEach((listener) => listener());
  };

  const setPassing = (now: boolean) => {
    if (passing === now) return;
    passing = now;
    publish();
  };

  const settled = () => {
    settle = undefined;
    setPassing(false);
    loadMissing();
  };

  /** The pages behind the rows shown, over all records. */
  const shownPages = () => ({ from: pageOf(rowIndexOf(shown.from, rows.skipped)), to: pageOf(rowIndexOf(shown.to, rows.skipped)) });

  const loadMissing = () => {
    if (total === undefined || passing) return;
    const { from, to } = shownPages();
    for (let index = from; index <= to && inFlight.size < IN_FLIGHT_MAX; index += 1) {
      if (pages.has(index) || inFlight.has(index) || failed.has(index)) continue;
      const mine = generation;
      inFlight.add(index);
      void readPage(list, { dataset, prefix, index, count: false }).then((page) => {
        if (mine !== generation) return;
        inFlight.delete(index);
        if (page === undefined) failed.add(index);
        else pages = keepNear(new Map(pages).set(index, page.records), index);
        publish();
        loadMissing();
      });
    }
  };

  const readShown = async () => {
    const mine = ++generation;
    inFlight.clear();
    failed.clear();
    const { from, to } = total === undefined ? { from: 0, to: 0 } : shownPages();
    const wanted = Array.from({ length: to - from + 1 }, (_, offset) => from + offset);
    const read = await Promise.all(wanted.map((index, position) => readPage(list, { dataset, prefix, index, count: position === 0 })));
    if (mine !== generation) return;
    if (read.every((page) => page !== undefined)) {
      pages = new Map(wanted.map((index, position) => [index, read[position]!.records]));
      total = read[0]!.total ?? 0;
    }
    for (const [key, mark] of hidden) if (mark !== 'waiting' && mark < mine) hidden.delete(key);
    publish();
    loadMissing();
  };

  return {
    rows: () => rows,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    show(from, to, visible = from) {
      shown = { from, to: Math.max(from, to) };
      // Paced by the first row on screen: the rows drawn around it change with `passing` itself.
      if (lastMove === undefined || visible !== lastMove.from) {
        const at = clock.now();
        const moving = isPassing(lastMove, visible, at);
        lastMove = { from: visible, at };
        if (settle !== undefined) clock.clear(settle);
        settle = moving ? clock.set(settled, SETTLE_MS) : undefined;
        setPassing(moving);
      }
      loadMissing();
    },
    async reload() {
      if (reading) {
        readAgain = true;
        return;
      }
      reading = true;
      try {
        do {
          readAgain = false;
          await readShown();
        } while (readAgain);
      } finally {
        reading = false;
      }
    },
    hide(key) {
      hidden.set(key, 'waiting');
      publish();
      loadMissing();
    },
    reveal(key) {
      if (!hidden.delete(key)) return;
      publish();
      loadMissing();
    },
    removed(key) {
      if (hidden.has(key)) hidden.set(key, generation);
    },
    stop() {
      if (settle !== undefined) clock.clear(settle);
      settle = undefined;
      lastMove = undefined;
      passing = false;
    },
  };
}
