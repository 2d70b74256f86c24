// The temporary AWS credentials the Cognito emulator hands out, kept so the DynamoDB gateway can
// find the secret that signed a request and the identity it belongs to.
import { randomBytes } from 'node:crypto';
import type { StateStore } from '../state-store';

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  identityId: string;
  /** Epoch milliseconds. */
  expiration: number;
}

export interface CredentialRegistry {
  issue(identityId: string): IssuedCredentials;
  lookup(accessKeyId: string): IssuedCredentials | undefined;
}

const STORE_NAME = 'credentials';
// Expired keys are kept a day so that a request signed with one is told it expired (as AWS says),
// not that the key is unknown.
const KEEP_EXPIRED_MS = 24 * 3600 * 1000;
const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function createCredentialRegistry(
  store: StateStore,
  options: { now?: () => number; ttlSeconds?: number } = {},
): CredentialRegistry {
  const now = options.now ?? Date.now;
  const ttlMs = (options.ttlSeconds ?? 3600) * 1000;
  const issued = new Map(Object.entries(store.read<Record<string, IssuedCredentials>>(STORE_NAME) ?? {}));

  return {
    issue(identityId) {
      const credentials: IssuedCredentials = {
        accessKeyId: `ASIA${randomAlphanumerics(16)}`,
        // 30 random bytes are exactly 40 base64 characters, the length of an AWS secret key.
        secretAccessKey: randomBytes(30).toString('base64'),
        sessionToken: randomBytes(96).toString('base64'),
        identityId,
        expiration: now() + ttlMs,
      };
      const current = now();
      for (const [keyId, held] of issued) if (held.expiration + KEEP_EXPIRED_MS <= current) issued.delete(keyId);
      issued.set(credentials.accessKeyId, credentials);
      store.write(STORE_NAME, Object.fromEntries(issued));
      return credentials;
    },
    lookup: (accessKeyId) => issued.get(accessKeyId),
  };
}

/** Upper-case letters and digits, uniformly: bytes past the last whole multiple of 36 are redrawn. */
function randomAlphanumerics(length: number): string {
  const limit = 256 - (256 % KEY_ID_ALPHABET.length);
  let text = '';
  while (text.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && text.length < length) text += KEY_ID_ALPHABET[byte % KEY_ID_ALPHABET.length];
    }
  }
  return text;
}
