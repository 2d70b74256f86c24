// How long a device waits before retrying a commit another device beat.

/** Commit attempts per dataset and sync before giving up (the changes stay dirty for the next sync). */
export const DEFAULT_MAX_ATTEMPTS = 8;

export interface Backoff {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
  random(): number;
  sleep(ms: number): Promise<void>;
}

export function backoffOf(options: Partial<Backoff> = {}): Backoff {
  return {
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    baseMs: 100,
    maxMs: 3_000,
    random: Math.random,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    ...options,
  };
}

/** Full jitter: a random wait up to base·2^attempt, so devices that collided do not collide again. */
export function backoffDelay(attempt: number, backoff: Pick<Backoff, 'baseMs' | 'maxMs' | 'random'>): number {
  return Math.floor(backoff.random() * Math.min(backoff.maxMs, backoff.baseMs * 2 ** attempt));
}
