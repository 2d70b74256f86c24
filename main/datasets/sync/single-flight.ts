// One run at a time: a call while one runs is served by ONE follow-up run, however many calls
// arrive meanwhile (each of them gets that follow-up's result).

export interface SingleFlight<T> {
  run(): Promise<T>;
  /** True while a run is under way. */
  busy(): boolean;
  /** The run under way and the one queued, if any. */
  pending(): Promise<T>[];
}

export function createSingleFlight<T>(task: () => Promise<T>): SingleFlight<T> {
  let inFlight: Promise<T> | undefined;
  let queued: Promise<T> | undefined;
  function run(): Promise<T> {
    if (inFlight === undefined) {
      inFlight = task().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    }
    queued ??= inFlight
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return run();
      });
    return queued;
  }
  return {
    run,
    busy: () => inFlight !== undefined,
    pending: () => [queued, inFlight].filter((each): each is Promise<T> => each !== undefined),
  };
}
