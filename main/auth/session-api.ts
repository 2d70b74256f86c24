// What the session's callers see (main/app.ts, the IPC handlers, the sync service, the doctor):
// its options, who is signed in, and what a sign-out reports. session.ts implements it and
// re-exports these names, so callers import them from there.
import type { CloudProfile } from '../../shared/cloud-profile';
import type { AppErrorView } from '../../shared/errors';
import type { SessionView } from '../../shared/ipc-contract';
import type { Logger } from '../platform/log';
import type { Platform } from '../platform/platform';
import type { SecretStore } from '../platform/keychain/secret-store';
import type { SignInOptions } from './sign-in';

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
