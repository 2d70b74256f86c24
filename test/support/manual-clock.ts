// Test support: a clock and timers the test moves by hand. `advance` runs the timers that come due,
// then lets promises and zero-delay callbacks settle.

export interface ManualClock {
  now(): number;
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  advance(ms: number): Promise<void>;
}

export function manualClock(): ManualClock {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; run: () => void }>();
  return {
    now: () => now,
    set: (run, ms) => {
      timers.set(nextId, { at: now + ms, run });
      return nextId++;
    },
    clear: (id) => void timers.delete(id as number),
    async advance(ms) {
      now += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at > now) continue;
        timers.delete(id);
        timer.run();
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}
