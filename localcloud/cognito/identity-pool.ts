// The one identity pool the emulator serves: its ID is made on first start and kept in the store,
// because identity IDs and the app's cloud profile refer to it.
import { randomUUID } from 'node:crypto';
import type { StateStore } from '../state-store';

/** AWS's pattern for identity pool IDs and identity IDs (`region:uuid`). */
export const REGION_UUID_PATTERN = /^[\w-]+:[0-9a-f-]+$/;

const STORE_NAME = 'cognito-identity-pool';

export function openIdentityPoolId(store: StateStore, region: string): string {
  const kept = store.read<{ identityPoolId: string }>(STORE_NAME)?.identityPoolId;
  if (kept?.startsWith(`${region}:`)) return kept;
  const identityPoolId = `${region}:${randomUUID()}`;
  store.write(STORE_NAME, { identityPoolId });
  return identityPoolId;
}

/** The Logins key of an OIDC provider: its issuer without scheme and trailing slash, as Cognito names it. */
export function providerNameOf(issuer: string): string {
  return issuer.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}
