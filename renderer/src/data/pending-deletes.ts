// Record deletes with an undo window: a delete waits here, and only when its window ends (or the
// page leaves the dataset, signs out, syncs now or closes) is records.remove sent. Undo within the
// window drops it, so the cloud never hears of it. One delete waits at a time: a new one sends the
// one before, as mail apps do.

export interface PendingDelete {
  readonly dataset: string;
  readonly key: string;
}

export type DeleteEvent =
  | { type: 'waiting'; dataset: string; key: string }
  | { type: 'undone'; dataset: string; key: string }
  | { type: 'sending'; dataset: string; key: string }
  /** records.remove answered: `removed` false when it failed (the app has shown why). */
  | { type: 'sent'; dataset: string; key: string; removed: boolean };

export interface PendingDeletes {
  /** The delete waiting for its window to end, if any (the same object while it waits). */
  current(): PendingDelete | undefined;
  /** Starts a delete's window, sending the one waiting before it. */
  schedule(dataset: string, key: string): void;
  /** Drops the waiting delete (of `dataset` when given); false when there was none. */
  undo(dataset?: string): boolean;
  /** Sends the waiting delete now (of `dataset` when given); resolves when it is answered. */
  flush(dataset?: string): Promise<void>;
  /** Stops the clock while the person reads the offer (pointer or focus on it); `release` restarts it. */
  hold(): void;
  release(): void;
  subscribe(listener: (event: DeleteEvent) => void): () => void;
}

interface Options {
  windowMs: number;
  remove(dataset: string, key: string): Promise<boolean>;
  timers?: { set(run: () => void, ms: number): unknown; clear(handle: unknown): void };
}

const realTimers = {
  set: (run: () => void, ms: number) => setTimeout(run, ms),
  clear: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createPendingDeletes({ windowMs, remove, timers = realTimers }: Options): PendingDeletes {
  let waiting: PendingDelete | undefined;
  let timer: unknown;
  let held = false;
  const listeners = new Set<(event: DeleteEvent) => void>();
  const emit = (event: DeleteEvent) => listeners.forEach((listener) => listener(event));

  const stopClock = () => {
    if (timer !== undefined) timers.clear(timer);
    timer = undefined;
  };
  const startClock = () => {
    if (waiting === undefined || held || timer !== undefined) return;
    const entry = waiting;
    timer = timers.set(() => void send(entry), windowMs);
  };
  const take = (dataset?: string): PendingDelete | undefined => {
    if (waiting === undefined || (dataset !== undefined && waiting.dataset !== dataset)) return undefined;
    const entry = waiting;
    stopClock();
    waiting = undefined;
    held = false;
    return entry;
  };

  async function send(entry: PendingDelete): Promise<void> {
    if (waiting !== entry) return;
    take();
    emit({ type: 'sending', ...entry });
    const removed = await remove(entry.dataset, entry.key).catch(() => false);
    emit({ type: 'sent', ...entry, removed });
  }

  return {
    current: () => waiting,
    schedule(dataset, key) {
      if (waiting !== undefined) void send(waiting);
      waiting = { dataset, key };
      emit({ type: 'waiting', dataset, key });
      startClock();
    },
    undo(dataset) {
      const entry = take(dataset);
      if (entry === undefined) return false;
      emit({ type: 'undone', ...entry });
      return true;
    },
    flush(dataset) {
      const entry = waiting !== undefined && (dataset === undefined || waiting.dataset === dataset) ? waiting : undefined;
      return entry === undefined ? Promise.resolve() : send(entry);
    },
    hold() {
      held = true;
      stopClock();
    },
    release() {
      held = false;
      startClock();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
