// Temporary AWS credentials for the signed-in user, from the Cognito identity pool's enhanced flow
// (GetId, then GetCredentialsForIdentity). Kept in memory only, renewed before they expire with one
// request however many callers ask, and never fetched while the app is offline.
//
// This file ties the parts to the session: cognito-steps.ts runs the two requests and their two
// recoveries, credentials-cache.ts keeps and renews what they return, identity-id-cache.ts keeps
// each user's identity ID in the profile dir.
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { cognitoEndpointOf, loginsKey, type CloudProfile } from '../../shared/cloud-profile';
import { AppError } from '../../shared/errors';
import { notSignedIn } from '../auth/auth-errors';
import { silentLogger, type Logger } from '../platform/log';
import { offline } from '../platform/network-failure';
import type { Platform } from '../platform/platform';
import { fetchCredentials, type AwsCredentials, type CognitoSteps } from './cognito-steps';
import { createCredentialsCache } from './credentials-cache';
import { openIdentityIdCache, type IdentityIdCache, type IdentityKey } from './identity-id-cache';

export type { AwsCredentials } from './cognito-steps';

/** Renew credentials this long before they expire (AWS hands them out for an hour). */
export const CREDENTIALS_MARGIN_SECONDS = 5 * 60;

/** What the credentials need from the session (main/auth/session.ts provides it). */
export interface IdTokenSource {
  user(): { issuer: string; sub: string } | undefined;
  getIdToken(options?: { forceRefresh?: boolean }): Promise<string>;
  onChange?(listener: () => void): () => void;
}

/** The shape AWS SDK v3 clients accept as `credentials`. */
export type AwsCredentialProvider = () => Promise<{
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}>;

export interface CognitoCredentialsOptions {
  profile: CloudProfile;
  platform: Platform;
  session: IdTokenSource;
  log?: Logger;
  marginSeconds?: number;
}

export interface CognitoCredentials {
  get(): Promise<AwsCredentials>;
  /** For AWS SDK clients: `new DynamoDBClient({ credentials: cognito.provider })`. */
  readonly provider: AwsCredentialProvider;
  /**
   * Like `provider`, but only ever hands out credentials of `identityId`: NOT_SIGNED_IN when nobody
   * is signed in, IDENTITY_CHANGED when the signed-in user is another identity. For a client that
   * must sign for one identity only (the sync's, which lives from sign-in to sign-out).
   */
  providerFor(identityId: string): AwsCredentialProvider;
  /** The user's identity ID: from the profile dir when known (works offline), else from GetId. */
  identityId(): Promise<string>;
  /**
   * Checks a fresh sign-in with Cognito before the session keeps it (AuthSessionOptions.admit):
   * gets the identity ID and credentials with `idToken`, and keeps them for the user.
   */
  admit(user: { issuer: string; sub: string }, idToken: string): Promise<void>;
  /** Forgets the credentials in memory (the session calls it through onChange on sign-out). */
  clear(): void;
  close(): void;
}

/** A client bound to one identity was about to send a request after another user signed in. */
export function identityChanged(): AppError {
  return new AppError(
    'IDENTITY_CHANGED',
    'Another account is now signed in on this app, so the sync of the account signed in before has stopped and sends nothing more. Nothing is lost: that account\'s changes stay on this device and sync when it signs in again.',
  );
}

/** What an AWS SDK client takes: the credentials without the identity ID. */
function forSdk(credentials: AwsCredentials): Awaited<ReturnType<AwsCredentialProvider>> {
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    expiration: credentials.expiration,
  };
}

/** The client and context the steps run with (cognito-steps.ts). */
function cognitoSteps(profile: CloudProfile, identities: IdentityIdCache, session: IdTokenSource, log: Logger): CognitoSteps {
  return {
    client: new CognitoIdentityClient({
      region: profile.region,
      ...(profile.cognitoEndpoint ? { endpoint: profile.cognitoEndpoint } : {}),
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000 },
    }),
    context: {
      identityPoolId: profile.identityPoolId,
      region: profile.region,
      providerName: loginsKey(profile.issuer),
      clientId: profile.clientId,
      endpoint: cognitoEndpointOf(profile),
    },
    identities,
    log,
    getIdToken: (options) => session.getIdToken(options),
  };
}

export function createCognitoCredentials(options: CognitoCredentialsOptions): CognitoCredentials {
  const { profile, platform, session } = options;
  const log = (options.log ?? silentLogger).child('cognito');
  const identities = openIdentityIdCache(platform.profileDir);
  const steps = cognitoSteps(profile, identities, session, log);
  const cache = createCredentialsCache<IdentityKey, AwsCredentials>({
    fetch: (key, idToken) => fetchCredentials(steps, key, idToken),
    name: (key) => JSON.stringify(key),
    expiration: (credentials) => credentials.expiration,
    now: () => platform.now(),
    marginSeconds: options.marginSeconds ?? CREDENTIALS_MARGIN_SECONDS,
    log,
  });
  let retryWhenOnline = false;

  const stopSession = session.onChange?.(() => {
    // A refreshed ID token leaves the credentials valid; a sign-out or another user does not.
    const user = session.user();
    if (user === undefined || cache.holdsOther(keyOf(user))) cache.clear();
  });
  const stopOnline = platform.onOnlineChange?.((online) => {
    if (!online || !retryWhenOnline || session.user() === undefined) return;
    retryWhenOnline = false;
    log.info('network is back; fetching credentials again');
    get().catch((error: unknown) => log.warn('credentials retry failed', { error }));
  });

  function keyOf(user: { issuer: string; sub: string }): IdentityKey {
    return { identityPoolId: profile.identityPoolId, issuer: user.issuer, sub: user.sub };
  }

  function signedInUser(): IdentityKey {
    const user = session.user();
    if (user === undefined) throw notSignedIn();
    return keyOf(user);
  }

  async function get(): Promise<AwsCredentials> {
    if (!platform.isOnline()) {
      retryWhenOnline = true;
      throw offline();
    }
    return cache.get(signedInUser());
  }

  return {
    get,
    provider: async () => forSdk(await get()),
    providerFor(identityId) {
      return async () => {
        // get() follows whoever is signed in now (NOT_SIGNED_IN when nobody is); the identity ID
        // Cognito answered with is what tells whose credentials these are.
        const credentials = await get();
        if (credentials.identityId !== identityId) throw identityChanged();
        return forSdk(credentials);
      };
    },
    async identityId() {
      const known = identities.get(signedInUser());
      return known ?? (await get()).identityId;
    },
    async admit(user, idToken) {
      if (!platform.isOnline()) throw offline();
      cache.clear();
      await cache.fetch(keyOf(user), idToken);
    },
    clear: () => cache.clear(),
    close() {
      cache.clear();
      stopSession?.();
      stopOnline?.();
      steps.client.destroy();
    },
  };
}
