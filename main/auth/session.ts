// The signed-in session: the one owner of the refresh token and the latest ID token. It signs in
// through the browser, restores from the keychain without one, refreshes the ID token before it
// runs out, and signs out. Nothing it holds ever leaves it except the ID token handed to Cognito.
//
// Its states, and what moves it from one to another (every move goes through setState, which tells
// the listeners):
//
//                    restore(): a readable keychain entry (no browser, no network)
//        ┌───────────────────────────────────────────────────────────────────────┐
//        │                                                                       ▼
//   ┌───────────┐  signIn()   ┌────────────┐  granted, admitted, kept  ┌──────────┐
//   │ signedOut │ ──────────► │ signingIn  │ ────────────────────────► │ signedIn │ ──┐ getIdToken() inside
//   │ (reason?) │ ◄────────── │ (previous) │ ◄──────────────────────── │          │ ◄─┘ the margin: refresh
//   └───────────┘  failed or  └────────────┘          signIn()         └──────────┘     (a rotated refresh
//        ▲         cancelled; signOut()                                      │           token replaces the old)
//        └───────────────────────────────────────────────────────────────────┘
//              signOut(); the refresh token refused (reason: SESSION_EXPIRED)
//
// A sign-in that fails or is cancelled goes back to `previous`: to signedIn when a user was signed
// in before it. signOut() during a sign-in cancels it and signs out the user it left.
//
// The jobs around the states live beside this file: sign-in.ts (the browser round trip),
// stored-session.ts (the keychain entry), sign-out.ts (revocation and the IdP's logout page),
// signed-out-page.ts (the page that logout returns to).
import type { Configuration } from 'openid-client';
import { AppError, type AppErrorView } from '../../shared/errors';
import type { SessionView } from '../../shared/ipc-contract';
import { silentLogger } from '../platform/log';
import { offline } from '../platform/network-failure';
import { accountName } from '../platform/keychain/secret-store';
import { notSignedIn, signInCancelled } from './auth-errors';
import { secondsLeft, type IdTokenClaims } from './id-token';
import { discoverProvider, refreshTokenGrant, type GrantedTokens, type ProviderSettings } from './identity-provider';
import { signInWithBrowser, type SignInOptions } from './sign-in';
import type { AuthSession, AuthSessionOptions, SignedInUser, SignOutOptions, SignOutResult } from './session-api';
import { signOutOf, type SignOutContext } from './sign-out';
import { signedOutPageSlot } from './signed-out-page';
import { keepOnly, readStoredSession, type StoredSession } from './stored-session';

export type { SignInOptions } from './sign-in';
export type { AuthSession, AuthSessionOptions, SignedInUser, SignOutOptions, SignOutResult } from './session-api';

/** Refresh the ID token when it has less than this left (Cognito rejects expired ones). */
export const REFRESH_MARGIN_SECONDS = 5 * 60;

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

/** The state, and what every transition needs. */
interface Machine extends SignOutContext {
  options: AuthSessionOptions;
  margin: number;
  listeners: Set<(view: SessionView) => void>;
  state: State;
  refreshing: Promise<SignedIn> | undefined;
}

function viewOf(state: State): SessionView {
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

function setState(machine: Machine, next: State): void {
  machine.state = next;
  const current = viewOf(next);
  for (const listener of machine.listeners) listener(current);
}

// A function, not an inline comparison: the state changes across awaits, which narrowing cannot see.
function isCurrent(machine: Machine, candidate: State): boolean {
  return machine.state === candidate;
}

function userOf(issuer: string, claims: IdTokenClaims): SignedInUser {
  const { sub, email, name, picture } = claims;
  return { issuer, sub, email, name, picture };
}

function signedIn(issuer: string, stored: StoredSession): SignedIn {
  const { account, idToken, claims, refreshToken } = stored;
  return { kind: 'signedIn', account, user: userOf(issuer, claims), idToken, claims, refreshToken };
}

/** signedOut → signedIn, from the keychain. */
async function restore(machine: Machine): Promise<SessionView> {
  if (machine.state.kind !== 'signedOut') return viewOf(machine.state);
  const issuer = machine.options.profile.issuer;
  const stored = await readStoredSession(machine.secrets, issuer);
  if (stored !== undefined && machine.state.kind === 'signedOut') {
    setState(machine, signedIn(issuer, stored));
    machine.log.info('session restored from the keychain');
  }
  return viewOf(machine.state);
}

/** signedOut | signedIn → signingIn → signedIn, or back to where it started. */
async function signIn(machine: Machine, signInOptions: SignInOptions): Promise<SessionView> {
  const { options, secrets, log } = machine;
  if (machine.state.kind === 'signingIn') {
    throw new AppError('SIGN_IN_IN_PROGRESS', 'A sign-in is already open in your browser. Finish it there, or cancel it first.');
  }
  if (!machine.platform.isOnline()) throw offline();
  const previous = machine.state;
  const attempt: State = { kind: 'signingIn', abort: new AbortController(), previous };
  setState(machine, attempt);
  try {
    const granted = await browserSignIn(machine, attempt.abort.signal, signInOptions);
    const account = accountName(options.profile.issuer, granted.claims.sub);
    await machine.refreshing?.catch(() => undefined);
    await keepOnly(secrets, options.profile.issuer, account, { refreshToken: granted.refreshToken, idToken: granted.idToken });
    if (!isCurrent(machine, attempt)) {
      await secrets.remove(account);
      throw signInCancelled();
    }
    setState(machine, signedIn(options.profile.issuer, { account, ...granted }));
    log.info('signed in', { keychain: secrets.kind });
    return viewOf(machine.state);
  } catch (error) {
    if (isCurrent(machine, attempt)) setState(machine, previous.kind === 'signedIn' ? previous : { kind: 'signedOut' });
    log.warn('sign-in failed', { code: error instanceof AppError ? error.code : 'INTERNAL', error });
    throw error;
  }
}

/** The browser round trip of a sign-in (sign-in.ts), once the provider is known. */
async function browserSignIn(machine: Machine, signal: AbortSignal, signInOptions: SignInOptions): Promise<GrantedTokens & { refreshToken: string }> {
  const { options, settings, platform, log } = machine;
  // A fixed redirect port may still be held by the last sign-out's page.
  await machine.signedOutPage.close();
  const config = await machine.discovered();
  if (signal.aborted) throw signInCancelled();
  const admit = options.admit;
  const { redirectPort } = options.profile;
  return signInWithBrowser(
    {
      config,
      settings,
      platform,
      log,
      redirectPort,
      timeoutMs: options.signInTimeoutMs,
      signal,
      admit: admit && ((candidate) => admit(userOf(options.profile.issuer, candidate.claims), candidate.idToken)),
    },
    signInOptions,
  );
}

/** signedIn → signedIn with a fresh ID token when it is inside the margin (one refresh for all callers). */
async function getIdToken(machine: Machine, tokenOptions: { forceRefresh?: boolean }): Promise<string> {
  if (machine.state.kind !== 'signedIn') throw notSignedIn();
  const current = machine.state;
  const left = secondsLeft(current.claims, machine.platform.now());
  if (!tokenOptions.forceRefresh && left > machine.margin && machine.refreshing === undefined) return current.idToken;
  if (!machine.platform.isOnline()) {
    if (!tokenOptions.forceRefresh && left > 0) return current.idToken;
    throw offline();
  }
  machine.refreshing ??= refresh(machine, current).finally(() => {
    machine.refreshing = undefined;
  });
  return (await machine.refreshing).idToken;
}

/** signedIn → signedIn (new tokens, kept), or → signedOut when the IdP refuses the refresh token. */
async function refresh(machine: Machine, current: SignedIn): Promise<SignedIn> {
  const { secrets, log } = machine;
  let granted: GrantedTokens;
  try {
    granted = await refreshTokenGrant(await machine.discovered(), machine.settings, current.refreshToken);
  } catch (error) {
    if (error instanceof AppError && error.code === 'SESSION_EXPIRED' && isCurrent(machine, current)) {
      log.info('the refresh token was refused; signing out', { reason: error.code });
      setState(machine, { kind: 'signedOut', reason: error.view() });
      await secrets.remove(current.account);
    }
    throw error;
  }
  if (granted.claims.sub !== current.user.sub) {
    throw new AppError('ID_TOKEN_INVALID', 'The identity provider refreshed the session for a different user. Sign in again.');
  }
  // Auth0 rotates refresh tokens: the new one replaces the old in a single keychain write.
  const refreshToken = granted.refreshToken ?? current.refreshToken;
  const next = signedIn(current.user.issuer, { ...granted, account: current.account, refreshToken });
  if (!isCurrent(machine, current)) return next;
  await secrets.write(current.account, { refreshToken, idToken: next.idToken });
  if (isCurrent(machine, current)) setState(machine, next);
  log.info('ID token refreshed', { rotated: granted.refreshToken !== undefined });
  return next;
}

/** Any state → signedOut; a sign-in under way is cancelled and the user it left signed out. */
async function signOut(machine: Machine, { removeLocalData }: SignOutOptions): Promise<SignOutResult> {
  const state = machine.state;
  const signingIn = state.kind === 'signingIn' ? state : undefined;
  signingIn?.abort.abort();
  const current = state.kind === 'signedIn' ? state : signingIn?.previous.kind === 'signedIn' ? signingIn.previous : undefined;
  if (state.kind !== 'signedOut') setState(machine, { kind: 'signedOut' });
  if (current === undefined) return { removeLocalData, user: undefined, revoked: false, logoutUrl: undefined };
  const latest = (await machine.refreshing?.catch(() => undefined)) ?? current;
  const ended = await signOutOf(machine, { account: current.account, refreshToken: latest.refreshToken }, removeLocalData);
  return { removeLocalData, user: current.user, ...ended };
}

export function createAuthSession(options: AuthSessionOptions): AuthSession {
  const { profile, platform } = options;
  const log = (options.log ?? silentLogger).child('auth');
  const settings: ProviderSettings = {
    issuer: profile.issuer,
    clientId: profile.clientId,
    audience: profile.audience,
    connection: profile.connection,
  };
  let configuration: Promise<Configuration> | undefined;
  const machine: Machine = {
    options,
    settings,
    platform,
    secrets: options.secrets,
    log,
    margin: options.refreshMarginSeconds ?? REFRESH_MARGIN_SECONDS,
    listeners: new Set(),
    state: { kind: 'signedOut' },
    refreshing: undefined,
    signedOutPage: signedOutPageSlot(profile.redirectPort, log),
    logoutReturnTo: options.logoutReturnTo,
    discovered() {
      if (!platform.isOnline()) return Promise.reject(offline());
      configuration ??= discoverProvider(settings).catch((error: unknown) => {
        configuration = undefined;
        throw error;
      });
      return configuration;
    },
  };

  return {
    view: () => viewOf(machine.state),
    user: () => (machine.state.kind === 'signedIn' ? machine.state.user : undefined),
    restore: () => restore(machine),
    signIn: (signInOptions = {}) => signIn(machine, signInOptions),
    cancelSignIn() {
      if (machine.state.kind === 'signingIn') machine.state.abort.abort();
      return viewOf(machine.state);
    },
    getIdToken: (tokenOptions = {}) => getIdToken(machine, tokenOptions),
    signOut: (signOutOptions) => signOut(machine, signOutOptions),
    takeNotices() {
      const notice = options.secrets.takeNotice();
      return notice ? [notice.view()] : [];
    },
    onChange(listener) {
      machine.listeners.add(listener);
      return () => machine.listeners.delete(listener);
    },
  };
}
