// The bridge's session commands, and which cloud the app uses (for the signed-out screen).
import { isLocalCloud, type CloudProfile } from '../../../shared/cloud-profile';
import type { AuthSession, SignOutOptions } from '../../auth/session';
import type { Handlers } from '../router';

export function sessionHandlers(
  session: AuthSession,
  profile: CloudProfile,
  /** Sign-out goes through the sync service, which stops the sync and removes data on request. */
  signOut: (options: SignOutOptions) => Promise<unknown>,
): Pick<Handlers, 'app.cloud' | 'session.get' | 'session.signIn' | 'session.cancelSignIn' | 'session.signOut'> {
  const cloud = { tenant: new URL(profile.issuer).host, local: isLocalCloud(profile), region: profile.region };
  return {
    'app.cloud': async () => cloud,
    'session.get': async () => session.view(),
    // "Sign in with another account": the IdP asks for a login even if its own session is alive.
    'session.signIn': ({ anotherAccount }) => session.signIn(anotherAccount ? { prompt: 'login' } : {}),
    'session.cancelSignIn': async () => session.cancelSignIn(),
    'session.signOut': async ({ removeLocalData }) => {
      await signOut({ removeLocalData });
      return session.view();
    },
  };
}
