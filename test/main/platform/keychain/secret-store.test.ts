// The allow-list of what a keychain entry may hold, and how entries are named.
import { expect, test } from 'vitest';
import {
  accountName,
  createMemorySecretStore,
  parseAccountName,
  parseSessionSecrets,
  type SessionSecrets,
} from '../../../../main/platform/keychain/secret-store';

test("an account names the issuer and the user, and splits back even when the sub has a '|'", () => {
  const account = accountName('https://tenant.eu.auth0.com/', 'google-oauth2|1234');
  expect(account).toBe('https://tenant.eu.auth0.com/|google-oauth2|1234');
  expect(parseAccountName(account)).toEqual({ issuer: 'https://tenant.eu.auth0.com/', sub: 'google-oauth2|1234' });
  expect(parseAccountName('probe')).toBeUndefined();
});

test('only the refresh token and the ID token can be stored; anything else is refused', async () => {
  const store = createMemorySecretStore();
  const withAccessToken = { refreshToken: 'r', idToken: 'i', accessToken: 'a' } as unknown as SessionSecrets;
  await expect(store.write('acct', withAccessToken)).rejects.toThrow();
  expect(await store.accounts()).toEqual([]);
  expect(parseSessionSecrets(JSON.stringify(withAccessToken))).toBeUndefined();
  expect(parseSessionSecrets('not json')).toBeUndefined();
  expect(parseSessionSecrets(JSON.stringify({ refreshToken: 'r', idToken: 'i' }))).toEqual({ refreshToken: 'r', idToken: 'i' });
});

test('the in-memory store hands out its notice once', () => {
  const store = createMemorySecretStore(undefined);
  expect(store.kind).toBe('memory');
  expect(store.takeNotice()).toBeUndefined();
});
