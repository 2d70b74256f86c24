// Check 8: the signed-in session of a profile dir comes back from the OS keychain without a browser,
// and its ID token is refreshed if it is close to expiry — what the app does at every start.
import { statSync } from 'node:fs';
import type { CloudProfile } from '../../shared/cloud-profile';
import { AppError } from '../../shared/errors';
import { assertCognitoCanVerify, readIdToken, secondsLeft } from '../auth/id-token';
import { createAuthSession, type AuthSession } from '../auth/session';
import type { Platform } from '../platform/platform';
import { openSecretStore } from '../platform/keychain/open-secret-store';
import { accountName, parseAccountName, type SecretStore } from '../platform/keychain/secret-store';
import { CHECK, failed, passed, sentenceOf, type CheckResult } from './check-result';

export interface RestoredSession {
  session: AuthSession;
  idToken: string;
}

const SIGN_IN_FIRST = 'Sign in with the app on this profile dir first (npm run start:web -- --cloud FILE --profile-dir DIR), then run the doctor again.';

/** The doctor's host: online, the real clock, and never a browser (it only restores sessions). */
function doctorPlatform(profileDir: string): Platform {
  return {
    profileDir,
    openExternal: async () => {
      throw new AppError('BROWSER_NOT_OPENED', 'The doctor never opens a browser. Sign in with the app instead.');
    },
    isOnline: () => true,
    now: Date.now,
  };
}

export async function checkSession(profile: CloudProfile, profileDir: string): Promise<{ result: CheckResult; restored?: RestoredSession }> {
  const fail = (detail: string) => ({ result: failed(CHECK.session, detail) });
  if (!statSync(profileDir, { throwIfNoEntry: false })?.isDirectory()) return fail(`${profileDir} is not a folder. ${SIGN_IN_FIRST}`);

  let secrets: SecretStore;
  try {
    secrets = await openSecretStore({ profileDir, host: 'doctor' });
  } catch (error) {
    return fail(sentenceOf(error));
  }
  if (secrets.kind !== 'keychain') return fail(secrets.takeNotice()?.message ?? 'The OS keychain cannot be reached, so no session can be restored.');

  const session = createAuthSession({ profile, platform: doctorPlatform(profileDir), secrets });
  try {
    if ((await session.restore()).state !== 'signedIn') return fail(`${noSessionFor(profile.issuer, await secrets.accounts())} ${SIGN_IN_FIRST}`);
    const user = session.user()!;
    const kept = await secrets.read(accountName(user.issuer, user.sub));
    const idToken = await session.getIdToken();
    const { alg, claims } = readIdToken(idToken);
    assertCognitoCanVerify(alg);
    const minutes = Math.floor(secondsLeft(claims, Date.now()) / 60);
    const refreshed = idToken === kept?.idToken ? '' : 'refreshed, ';
    return {
      result: passed(CHECK.session, `${user.email ?? user.sub} restored from the OS keychain; ID token (${alg}) ${refreshed}valid for ${minutes} more min`),
      restored: { session, idToken },
    };
  } catch (error) {
    return fail(sentenceOf(error));
  }
}

/** Says so when the keychain holds a session for another spelling of the issuer (e.g. the trailing slash). */
function noSessionFor(issuer: string, accounts: string[]): string {
  const others = [...new Set(accounts.map((account) => parseAccountName(account)?.issuer).filter((other) => other !== undefined && other !== issuer))];
  const hint = others.length > 0 ? ` (it holds one for ${others.map((other) => `"${other}"`).join(', ')}; the profile's issuer must be exactly the one signed in with)` : '';
  return `This profile dir has no signed-in session for ${issuer} in the OS keychain${hint}.`;
}
