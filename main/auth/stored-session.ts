// The session as the keychain keeps it: one entry per (issuer, sub) — the account name — holding
// the refresh token and the latest ID token. One user per profile: a sign-in removes the others of
// its issuer; entries of another tenant are left alone.
import { parseAccountName, type SecretStore } from '../platform/keychain/secret-store';
import { readIdToken, type IdTokenClaims } from './id-token';

export interface StoredSession {
  account: string;
  idToken: string;
  claims: IdTokenClaims;
  refreshToken: string;
}

/** The keychain accounts of `issuer` (entries of another tenant are left alone). */
export async function issuerAccounts(secrets: SecretStore, issuer: string): Promise<string[]> {
  const accounts = await secrets.accounts();
  return accounts.filter((account) => parseAccountName(account)?.issuer === issuer);
}

/**
 * The first entry of `issuer` whose ID token can be read and names the account's own user, without
 * a network call (the token may have expired: the session refreshes it when it is asked for one).
 */
export async function readStoredSession(secrets: SecretStore, issuer: string): Promise<StoredSession | undefined> {
  for (const account of await issuerAccounts(secrets, issuer)) {
    const stored = await secrets.read(account);
    const sub = parseAccountName(account)?.sub;
    if (stored === undefined || sub === undefined) continue;
    let claims: IdTokenClaims;
    try {
      claims = readIdToken(stored.idToken).claims;
    } catch {
      continue;
    }
    if (claims.sub === sub) return { account, idToken: stored.idToken, claims, refreshToken: stored.refreshToken };
  }
  return undefined;
}

/** Keeps a new sign-in's tokens under `account`, and removes whoever of `issuer` was kept before. */
export async function keepOnly(
  secrets: SecretStore,
  issuer: string,
  account: string,
  tokens: { refreshToken: string; idToken: string },
): Promise<void> {
  await secrets.write(account, tokens);
  for (const other of await issuerAccounts(secrets, issuer)) if (other !== account) await secrets.remove(other);
}
