// Temporary AWS credentials for the signed-in user, from the Cognito identity pool's enhanced flow
// (GetId, then GetCredentialsForIdentity). Kept in memory only, renewed before they expire with one
// request however many callers ask, and never fetched while the app is offline.
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from '@aws-sdk/client-cognito-identity';
import { cognitoEndpointOf, loginsKey, type CloudProfile } from '../../shared/cloud-profile';
import { AppError } from '../../shared/errors';
import { notSignedIn } from '../auth/auth-errors';
import { readIdToken } from '../auth/id-token';
import { silentLogger, type Logger } from '../platform/log';
import { offline } from '../platform/network-failure';
import type { Platform } from '../platform/platform';
import { clockSkew, cognitoFailure, isExpiredLogin, isStaleIdentity, type CognitoContext } from './cognito-errors';
import { openIdentityIdCache, type IdentityKey } from './identity-id-cache';

/** Renew credentials this long before they expire (AWS hands them out for an hour). */
export const CREDENTIALS_MARGIN_SECONDS = 5 * 60;

/** What the credentials need from the session (main/auth/session.ts provides it). */
export interface IdTokenSource {
  user(): { issuer: string; sub: string } | undefined;
  getIdToken(options?: { forceRefresh?: boolean }): Promise<string>;
  onChange?(listener: () => void): () => void;
}

export interface AwsCredentials {
  identityId: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
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

export function createCognitoCredentials(options: CognitoCredentialsOptions): CognitoCredentials {
  const { profile, platform, session } = options;
  const log = (options.log ?? silentLogger).child('cognito');
  const margin = options.marginSeconds ?? CREDENTIALS_MARGIN_SECONDS;
  // Below this, cached credentials are too close to expiry to hand out while a renewal runs.
  const minimum = Math.min(30, margin / 2);
  const identities = openIdentityIdCache(platform.profileDir);
  const providerName = loginsKey(profile.issuer);
  const endpoint = cognitoEndpointOf(profile);
  const client = new CognitoIdentityClient({
    region: profile.region,
    ...(profile.cognitoEndpoint ? { endpoint: profile.cognitoEndpoint } : {}),
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000 },
  });

  let cached: { key: string; credentials: AwsCredentials } | undefined;
  let inflight: { key: string; promise: Promise<AwsCredentials> } | undefined;
  // Bumped on every session change, so an answer for the previous user is never kept.
  let generation = 0;
  let retryWhenOnline = false;

  const stopSession = session.onChange?.(() => {
    // A refreshed ID token leaves the credentials valid; a sign-out or another user does not.
    const user = session.user();
    if (user === undefined || (cached !== undefined && cached.key !== JSON.stringify(keyOf(user)))) clear();
  });
  const stopOnline = platform.onOnlineChange?.((online) => {
    if (!online || !retryWhenOnline || session.user() === undefined) return;
    retryWhenOnline = false;
    log.info('network is back; fetching credentials again');
    get().catch((error: unknown) => log.warn('credentials retry failed', { error }));
  });

  function clear(): void {
    generation += 1;
    cached = undefined;
    inflight = undefined;
  }

  function keyOf(user: { issuer: string; sub: string }): IdentityKey {
    return { identityPoolId: profile.identityPoolId, issuer: user.issuer, sub: user.sub };
  }

  function signedInUser(): IdentityKey {
    const user = session.user();
    if (user === undefined) throw notSignedIn();
    return keyOf(user);
  }

  function context(idToken: string): CognitoContext {
    let idTokenAlg: string | undefined;
    try {
      idTokenAlg = readIdToken(idToken).alg;
    } catch {
      idTokenAlg = undefined;
    }
    return { identityPoolId: profile.identityPoolId, region: profile.region, providerName, clientId: profile.clientId, endpoint, idTokenAlg };
  }

  async function fetchCredentials(key: IdentityKey, givenToken?: string): Promise<AwsCredentials> {
    let idToken = givenToken ?? (await session.getIdToken());
    let renewedToken = false;
    let forgotIdentity = false;
    for (;;) {
      const logins = { [providerName]: idToken };
      let identityId = identities.get(key);
      const fromCache = identityId !== undefined;
      try {
        if (identityId === undefined) {
          const answer = await client.send(new GetIdCommand({ IdentityPoolId: profile.identityPoolId, Logins: logins }));
          if (!answer.IdentityId) throw new Error('GetId returned no IdentityId');
          identityId = answer.IdentityId;
          identities.set(key, identityId);
        }
        const answer = await client.send(new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins: logins }));
        const issued = answer.Credentials;
        if (!issued?.AccessKeyId || !issued.SecretKey || !issued.SessionToken || !issued.Expiration) {
          throw new Error('GetCredentialsForIdentity returned incomplete credentials');
        }
        return {
          identityId: answer.IdentityId ?? identityId,
          accessKeyId: issued.AccessKeyId,
          secretAccessKey: issued.SecretKey,
          sessionToken: issued.SessionToken,
          expiration: issued.Expiration,
        };
      } catch (error) {
        if (isExpiredLogin(error)) {
          if (renewedToken || givenToken !== undefined) throw clockSkew(error);
          renewedToken = true;
          log.info('Cognito says the ID token expired; refreshing it');
          idToken = await session.getIdToken({ forceRefresh: true });
          continue;
        }
        if (fromCache && !forgotIdentity && isStaleIdentity(error)) {
          forgotIdentity = true;
          identities.delete(key);
          continue;
        }
        const failure = cognitoFailure(error, context(idToken));
        log.warn('getting AWS credentials failed', { code: failure.code, error });
        throw failure;
      }
    }
  }

  function fetchOnce(key: IdentityKey, givenToken?: string): Promise<AwsCredentials> {
    const name = JSON.stringify(key);
    if (inflight?.key === name && givenToken === undefined) return inflight.promise;
    const started = generation;
    const promise = fetchCredentials(key, givenToken)
      .then((credentials) => {
        if (started === generation) cached = { key: name, credentials };
        return credentials;
      })
      .finally(() => {
        if (inflight?.promise === promise) inflight = undefined;
      });
    inflight = { key: name, promise };
    return promise;
  }

  async function get(): Promise<AwsCredentials> {
    if (!platform.isOnline()) {
      retryWhenOnline = true;
      throw offline();
    }
    const key = signedInUser();
    if (cached?.key === JSON.stringify(key)) {
      const left = (cached.credentials.expiration.getTime() - platform.now()) / 1000;
      if (left > margin) return cached.credentials;
      if (left > minimum) {
        // Still good for a while: hand them out and renew in the background.
        fetchOnce(key).catch((error: unknown) => log.warn('background credentials refresh failed', { error }));
        return cached.credentials;
      }
    }
    return fetchOnce(key);
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
      clear();
      await fetchOnce(keyOf(user), idToken);
    },
    clear,
    close() {
      clear();
      stopSession?.();
      stopOnline?.();
      client.destroy();
    },
  };
}
