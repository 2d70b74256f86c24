// The signed-in session: the one owner of the refresh token and the latest ID token. It signs in
// through the browser, restores from the keychain without one, refreshes the ID token before it
// runs out, and signs out. Nothing it holds ever leaves it except the ID token handed to Cognito.
import type { Configuration } from 'openid-client';
import type { CloudProfile } from '../../shared/cloud-profile';
import { AppError, type AppErrorView } from '../../shared/errors';
import type { SessionView } from '../../shared/ipc-contract';
import { silentLogger, type Logger } from '../platform/log';
import { offline } from '../platform/network-failure';
import type { Platform } from '../platform/platform';
import { accountName, parseAccountName, type SecretStore } from '../platform/keychain/secret-store';
import { notSignedIn, signInCancelled } from './auth-errors';
import { readIdToken, secondsLeft, type IdTokenClaims } from './id-token';
import {
  buildLogoutUrl,
  discoverProvider,
  refreshTokenGrant,
  tokenRevocation,
  type GrantedTokens,
  type ProviderSettings,
} from './identity-provider';
import { startSignedOutPage, type SignedOutPage } from './loopback-server';
import { signInWithBrowser, type SignInOptions } from './sign-in';

export type { SignInOptions } from './sign-in';

/** Refresh the ID token when it has less than this left (Cognito rejects expired ones). */
export const REFRESH_MARGIN_SECONDS = 5 * 60;

export interface AuthSessionOptions {
  profile: CloudProfile;
  platform: Platform;
  secrets: SecretStore;
  log?: Logger;
  signInTimeoutMs?: number;
  refreshMarginSeconds?: number;
  /**
   * Where the IdP's logout page sends the browser afterwards (must be registered there). Without it,
   * the app's own "you are signed out" page on its loopback address (the redirect port, if fixed).
   */
  logoutReturnTo?: string;
  /**
   * Called with a fresh sign-in before anything is stored; throwing refuses it. The app passes the
   * Cognito check here, so a token the identity pool will not accept never reaches the keychain.
   */
  admit?: (user: SignedInUser, idToken: string) => Promise<void>;
}

/** Who is signed in: the claims the UI may show, and the pair that names the keychain entry. */
export interface SignedInUser {
  issuer: string;
  sub: string;
  email?: string;
  name?: string;
  picture?: string;
}

export interface SignOutOptions {
  /** The user's answer to "keep or remove this device's copy of your data?" — carried out by the caller. */
  removeLocalData: boolean;
}

export interface SignOutResult {
  /** Echoes the user's choice, for the caller that owns the local data. */
  removeLocalData: boolean;
  /** Who was signed out; undefined when no one was signed in. */
  user: SignedInUser | undefined;
  /** True when the IdP confirmed the refresh token is revoked. */
  revoked: boolean;
  /** The IdP logout page opened in the system browser, if it could be. */
  logoutUrl: string | undefined;
}

export interface AuthSession {
  view(): SessionView;
  user(): SignedInUser | undefined;
  /** Signs the last user back in from the keychain, without a browser or a network call. */
  restore(): Promise<SessionView>;
  signIn(options?: SignInOptions): Promise<SessionView>;
  cancelSignIn(): SessionView;
  /** An ID token with at least the refresh margin left (refreshing it if needed). */
  getIdToken(options?: { forceRefresh?: boolean }): Promise<string>;
  signOut(options: SignOutOptions): Promise<SignOutResult>;
  /** Notices to show the user once (KEYCHAIN_UNAVAILABLE); each is returned only once. */
  takeNotices(): AppErrorView[];
  onChange(listener: (view: SessionView) => void): () => void;
}

interface SignedIn {
  kind: 'signedIn';
  account: string;
  user: SignedInUser;
  idToken: string;
  claims: IdTokenClaims;
  refreshToken: string;
}

type State =
  | { kind: 'signedOut'; reason?: AppErrorView }
  | { kind: 'signingIn'; abort: AbortController; previous: State }
  | SignedIn;

export function createAuthSession(options: AuthSessionOptions): AuthSession {
  const { profile, platform, secrets } = options;
  const log = (options.log ?? silentLogger).child('auth');
  const margin = options.refreshMarginSeconds ?? REFRESH_MARGIN_SECONDS;
  const settings: ProviderSettings = {
    issuer: profile.issuer,
    clientId: profile.clientId,
    audience: profile.audience,
    connection: profile.connection,
  };
  const listeners = new Set<(view: SessionView) => void>();
  let state: State = { kind: 'signedOut' };
  let configuration: Promise<Configuration> | undefined;
  let refreshing: Promise<SignedIn> | undefined;
  let signedOutPage: SignedOutPage | undefined;

  /** The page the IdP's logout returns to; without it (its port taken) the IdP shows its own. */
  async function openSignedOutPage(): Promise<string | undefined> {
    await closeSignedOutPage();
    try {
      signedOutPage = await startSignedOutPage({ port: profile.redirectPort });
      return signedOutPage.returnTo;
    } catch (error) {
      log.warn('could not open the signed-out page on the loopback address', { error });
      return undefined;
    }
  }

  async function closeSignedOutPage(): Promise<void> {
    const open = signedOutPage;
    signedOutPage = undefined;
    await open?.close();
  }

  // A function, not an inline comparison: `state` changes across awaits, which narrowing cannot see.
  function isCurrent(candidate: State): boolean {
    return state === candidate;
  }

  function setState(next: State): void {
    state = next;
    const current = view();
    for (const listener of listeners) listener(current);
  }

  function view(): SessionView {
    switch (state.kind) {
      case 'signedOut':
        return state.reason ? { state: 'signedOut', reason: state.reason } : { state: 'signedOut' };
      case 'signingIn':
        return { state: 'signingIn' };
      case 'signedIn': {
        const { sub, email, name, picture } = state.user;
        return { state: 'signedIn', profile: { sub, email, name, picture } };
      }
    }
  }

  function discovered(): Promise<Configuration> {
    if (!platform.isOnline()) return Promise.reject(offline());
    configuration ??= discoverProvider(settings).catch((error: unknown) => {
      configuration = undefined;
      throw error;
    });
    return configuration;
  }

  function userOf(claims: IdTokenClaims): SignedInUser {
    const { sub, email, name, picture } = claims;
    return { issuer: profile.issuer, sub, email, name, picture };
  }

  function signedIn(account: string, granted: GrantedTokens & { refreshToken: string }): SignedIn {
    return {
      kind: 'signedIn',
      account,
      user: userOf(granted.claims),
      idToken: granted.idToken,
      claims: granted.claims,
      refreshToken: granted.refreshToken,
    };
  }

  async function refresh(current: SignedIn): Promise<SignedIn> {
    let granted: GrantedTokens;
    try {
      granted = await refreshTokenGrant(await discovered(), settings, current.refreshToken);
    } catch (error) {
      if (error instanceof AppError && error.code === 'SESSION_EXPIRED' && isCurrent(current)) {
        log.info('the refresh token was refused; signing out', { reason: error.code });
        setState({ kind: 'signedOut', reason: error.view() });
        await secrets.remove(current.account);
      }
      throw error;
    }
    if (granted.claims.sub !== current.user.sub) {
      throw new AppError('ID_TOKEN_INVALID', 'The identity provider refreshed the session for a different user. Sign in again.');
    }
    // Auth0 rotates refresh tokens: the new one replaces the old in a single keychain write.
    const next = signedIn(current.account, { ...granted, refreshToken: granted.refreshToken ?? current.refreshToken });
    if (!isCurrent(current)) return next;
    await secrets.write(current.account, { refreshToken: next.refreshToken, idToken: next.idToken });
    if (isCurrent(current)) setState(next);
    log.info('ID token refreshed', { rotated: granted.refreshToken !== undefined });
    return next;
  }

  /** A refresh token we will not keep is revoked, so it cannot outlive the app's decision. */
  async function revokeQuietly(config: Configuration, refreshToken: string): Promise<boolean> {
    try {
      return await tokenRevocation(config, settings, refreshToken);
    } catch (error) {
      log.warn('could not revoke the refresh token', { error });
      return false;
    }
  }

  /** The keychain accounts of this profile's issuer (entries of another tenant are left alone). */
  async function issuerAccounts(): Promise<string[]> {
    const accounts = await secrets.accounts();
    return accounts.filter((account) => parseAccountName(account)?.issuer === profile.issuer);
  }

  return {
    view,

    user: () => (state.kind === 'signedIn' ? state.user : undefined),

    async restore() {
      if (state.kind !== 'signedOut') return view();
      for (const account of await issuerAccounts()) {
        const stored = await secrets.read(account);
        const sub = parseAccountName(account)?.sub;
        if (stored === undefined || sub === undefined) continue;
        let claims: IdTokenClaims;
        try {
          claims = readIdToken(stored.idToken).claims;
        } catch {
          continue;
        }
        if (claims.sub !== sub || state.kind !== 'signedOut') continue;
        setState(signedIn(account, { idToken: stored.idToken, claims, refreshToken: stored.refreshToken }));
        log.info('session restored from the keychain');
        break;
      }
      return view();
    },

    async signIn(signInOptions = {}) {
      if (state.kind === 'signingIn') {
        throw new AppError('SIGN_IN_IN_PROGRESS', 'A sign-in is already open in your browser. Finish it there, or cancel it first.');
      }
      if (!platform.isOnline()) throw offline();
      const abort = new AbortController();
      const previous = state;
      const attempt: State = { kind: 'signingIn', abort, previous };
      setState(attempt);
      try {
        // A fixed redirect port may still be held by the last sign-out's page.
        await closeSignedOutPage();
        const config = await discovered();
        if (abort.signal.aborted) throw signInCancelled();
        const granted = await signInWithBrowser(
          {
            config,
            settings,
            platform,
            log,
            redirectPort: profile.redirectPort,
            timeoutMs: options.signInTimeoutMs,
            signal: abort.signal,
            admit: async (candidate) => {
              try {
                await options.admit?.(userOf(candidate.claims), candidate.idToken);
              } catch (error) {
                await revokeQuietly(config, candidate.refreshToken);
                throw error;
              }
            },
          },
          signInOptions,
        );
        const account = accountName(profile.issuer, granted.claims.sub);
        await refreshing?.catch(() => undefined);
        await secrets.write(account, { refreshToken: granted.refreshToken, idToken: granted.idToken });
        // One user per profile: a new sign-in replaces whoever was kept before.
        for (const other of await issuerAccounts()) if (other !== account) await secrets.remove(other);
        if (!isCurrent(attempt)) {
          await secrets.remove(account);
          throw signInCancelled();
        }
        setState(signedIn(account, granted));
        log.info('signed in', { keychain: secrets.kind });
        return view();
      } catch (error) {
        if (isCurrent(attempt)) setState(previous.kind === 'signedIn' ? previous : { kind: 'signedOut' });
        log.warn('sign-in failed', { code: error instanceof AppError ? error.code : 'INTERNAL', error });
        throw error;
      }
    },

    cancelSignIn() {
      if (state.kind === 'signingIn') state.abort.abort();
      return view();
    },

    async getIdToken(tokenOptions = {}) {
      if (state.kind !== 'signedIn') {
        throw notSignedIn();
      }
      const current = state;
      const left = secondsLeft(current.claims, platform.now());
      if (!tokenOptions.forceRefresh && left > margin && refreshing === undefined) return current.idToken;
      if (!platform.isOnline()) {
        if (!tokenOptions.forceRefresh && left > 0) return current.idToken;
        throw offline();
      }
      refreshing ??= refresh(current).finally(() => {
        refreshing = undefined;
      });
      return (await refreshing).idToken;
    },

    async signOut({ removeLocalData }) {
      // Signing out during a sign-in cancels it and signs out whoever was signed in before it.
      const signingIn = state.kind === 'signingIn' ? state : undefined;
      signingIn?.abort.abort();
      const current = state.kind === 'signedIn' ? state : signingIn?.previous.kind === 'signedIn' ? signingIn.previous : undefined;
      if (state.kind !== 'signedOut') setState({ kind: 'signedOut' });
      if (current === undefined) return { removeLocalData, user: undefined, revoked: false, logoutUrl: undefined };
      const latest = (await refreshing?.catch(() => undefined)) ?? current;
      await secrets.remove(current.account);
      log.info('signed out', { removeLocalData });

      let revoked = false;
      let logoutUrl: string | undefined;
      if (platform.isOnline()) {
        try {
          const config = await discovered();
          revoked = await revokeQuietly(config, latest.refreshToken);
          const url = buildLogoutUrl(config, settings, options.logoutReturnTo ?? (await openSignedOutPage()));
          await platform.openExternal(url.href);
          logoutUrl = url.href;
        } catch (error) {
          await closeSignedOutPage();
          log.warn('could not open the identity provider logout page', { error });
        }
      }
      return { removeLocalData, user: current.user, revoked, logoutUrl };
    },

    takeNotices() {
      const notice = secrets.takeNotice();
      return notice ? [notice.view()] : [];
    },

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
