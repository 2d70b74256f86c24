// One chain per key: a task for a key starts only when the previous one for it has finished,
// however that ended; tasks for different keys run side by side.

export interface KeyedLock {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Every chain under way (settled whatever the tasks do). */
  pending(): Promise<unknown>[];
}

export function createKeyedLock(): KeyedLock {
  const chains = new Map<string, Promise<unknown>>();
  return {
    run(key, task) {
      const previous = chains.get(key) ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(task);
      const settled = next.catch(() => undefined);
      chains.set(key, settled);
      void settled.then(() => {
        if (chains.get(key) === settled) chains.delete(key);
      });
      return next;
    },
    pending: () => [...chains.values()],
  };
}
