// Which identity ID belongs to which login: one per (pool, provider, sub), the same on every sign-in
// and after a restart, since the user's DynamoDB items are keyed by it.
import { randomUUID } from 'node:crypto';
import type { StateStore } from '../state-store';

export interface IdentityRecord {
  identityPoolId: string;
  providerName: string;
  sub: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface IdentityMap {
  identityFor(identityPoolId: string, providerName: string, sub: string): string;
  find(identityId: string): IdentityRecord | undefined;
}

const STORE_NAME = 'identities';

export function openIdentityMap(store: StateStore, region: string, now: () => number): IdentityMap {
  const identities = store.read<Record<string, IdentityRecord>>(STORE_NAME) ?? {};
  const byLogin = new Map<string, string>();
  const loginKey = (pool: string, provider: string, sub: string) => JSON.stringify([pool, provider, sub]);
  for (const [identityId, record] of Object.entries(identities)) {
    byLogin.set(loginKey(record.identityPoolId, record.providerName, record.sub), identityId);
  }

  return {
    identityFor(identityPoolId, providerName, sub) {
      const key = loginKey(identityPoolId, providerName, sub);
      const known = byLogin.get(key);
      if (known !== undefined) return known;
      const identityId = `${region}:${randomUUID()}`;
      identities[identityId] = { identityPoolId, providerName, sub, createdAt: now() };
      byLogin.set(key, identityId);
      store.write(STORE_NAME, identities);
      return identityId;
    },
    find: (identityId) => (Object.hasOwn(identities, identityId) ? identities[identityId] : undefined),
  };
}
