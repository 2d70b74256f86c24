// Credentials in memory for one user at a time: handed out while they have time left, renewed
// before they expire with one request however many callers ask (single flight), and never kept
// when the user changed while they were being fetched.
import type { Logger } from '../platform/log';

/** What to do with cached credentials that have `secondsLeft` left. */
export type Renewal = 'keep' | 'keepAndRenew' | 'renew';

/**
 * Keep them while more than the margin is left; inside it, hand them out and renew in the
 * background while they still have a while (min(30 s, margin / 2)); below that, renew first.
 */
export function renewal(secondsLeft: number, marginSeconds: number): Renewal {
  if (secondsLeft > marginSeconds) return 'keep';
  return secondsLeft > Math.min(30, marginSeconds / 2) ? 'keepAndRenew' : 'renew';
}

export interface CredentialsCache<K, T> {
  /** The cached credentials of `key` while they are fresh enough; otherwise one fetch for everyone. */
  get(key: K): Promise<T>;
  /** Fetches for `key` now, sharing a fetch already under way unless `idToken` is given. */
  fetch(key: K, idToken?: string): Promise<T>;
  /** Whether the cache holds credentials of a user other than `key`. */
  holdsOther(key: K): boolean;
  /** Forgets them, and makes an answer still under way go unkept. */
  clear(): void;
}

export interface CredentialsCacheOptions<K, T> {
  fetch(key: K, idToken?: string): Promise<T>;
  /** Names a key: two keys with one name are one user. */
  name(key: K): string;
  expiration(credentials: T): Date;
  now(): number;
  marginSeconds: number;
  log: Logger;
}

export function createCredentialsCache<K, T>(options: CredentialsCacheOptions<K, T>): CredentialsCache<K, T> {
  let cached: { key: string; credentials: T } | undefined;
  let inflight: { key: string; promise: Promise<T> } | undefined;
  // Bumped on every clear, so an answer for the previous user is never kept.
  let generation = 0;

  function fetch(key: K, idToken?: string): Promise<T> {
    const name = options.name(key);
    if (inflight?.key === name && idToken === undefined) return inflight.promise;
    const started = generation;
    const promise = options
      .fetch(key, idToken)
      .then((credentials) => {
        if (started === generation) cached = { key: name, credentials };
        return credentials;
      })
      .finally(() => {
        if (inflight?.promise === promise) inflight = undefined;
      });
    inflight = { key: name, promise };
    return promise;
  }

  return {
    get(key) {
      if (cached?.key !== options.name(key)) return fetch(key);
      const { credentials } = cached;
      const left = (options.expiration(credentials).getTime() - options.now()) / 1000;
      switch (renewal(left, options.marginSeconds)) {
        case 'keep':
          return Promise.resolve(credentials);
        case 'keepAndRenew':
          fetch(key).catch((error: unknown) => options.log.warn('background credentials refresh failed', { error }));
          return Promise.resolve(credentials);
        case 'renew':
          return fetch(key);
      }
    },
    fetch,
    holdsOther: (key) => cached !== undefined && cached.key !== options.name(key),
    clear() {
      generation += 1;
      cached = undefined;
      inflight = undefined;
    },
  };
}
