// The enhanced flow, step by step: GetId (the user's identity ID, unless the profile dir knows it),
// then GetCredentialsForIdentity. Each step can fail in one way that has a cure, tried once:
//
//   expired ID token   Cognito says "Token expired" → refresh the ID token once and start again;
//                      a second time, or with a token handed in (admit), the clock is wrong (CLOCK_SKEW)
//   stale identity ID  the remembered identity ID is another login's or gone → forget it once and
//                      GetId again
//
// Anything else becomes the app's Cognito error (cognito-errors.ts).
import {
  type CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from '@aws-sdk/client-cognito-identity';
import { readIdToken } from '../auth/id-token';
import type { Logger } from '../platform/log';
import { clockSkew, cognitoFailure, isExpiredLogin, isStaleIdentity, type CognitoContext } from './cognito-errors';
import type { IdentityIdCache, IdentityKey } from './identity-id-cache';

export interface AwsCredentials {
  identityId: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** What the steps need: the client, the pool, where identity IDs are kept, and a way to a fresh ID token. */
export interface CognitoSteps {
  client: CognitoIdentityClient;
  /** The Cognito context of the pool, less the ID token's alg (added per token). */
  context: Omit<CognitoContext, 'idTokenAlg'>;
  identities: IdentityIdCache;
  log: Logger;
  getIdToken(options?: { forceRefresh?: boolean }): Promise<string>;
}

/** Step 1: the identity ID of `key`: the one the profile dir remembers, or a new GetId's (then remembered). */
export async function getId(steps: CognitoSteps, key: IdentityKey, idToken: string): Promise<string> {
  const known = steps.identities.get(key);
  if (known !== undefined) return known;
  const answer = await steps.client.send(
    new GetIdCommand({ IdentityPoolId: steps.context.identityPoolId, Logins: { [steps.context.providerName]: idToken } }),
  );
  if (!answer.IdentityId) throw new Error('GetId returned no IdentityId');
  steps.identities.set(key, answer.IdentityId);
  return answer.IdentityId;
}

/** Step 2: credentials for `identityId`. */
export async function getCredentialsForIdentity(steps: CognitoSteps, identityId: string, idToken: string): Promise<AwsCredentials> {
  const answer = await steps.client.send(
    new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins: { [steps.context.providerName]: idToken } }),
  );
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
}

/** Both steps; recovery for a stale identity ID: a remembered one Cognito refuses is forgotten once, and GetId asked. */
async function identityThenCredentials(steps: CognitoSteps, key: IdentityKey, idToken: string): Promise<AwsCredentials> {
  const remembered = steps.identities.get(key) !== undefined;
  try {
    return await getCredentialsForIdentity(steps, await getId(steps, key, idToken), idToken);
  } catch (error) {
    if (!remembered || !isStaleIdentity(error)) throw error;
    steps.identities.delete(key);
    return getCredentialsForIdentity(steps, await getId(steps, key, idToken), idToken);
  }
}

/**
 * Credentials for `key`, with the session's ID token or `givenToken` (a sign-in not yet kept).
 * Recovery for an expired ID token: refreshed once (never a given one), and both steps again.
 */
export async function fetchCredentials(steps: CognitoSteps, key: IdentityKey, givenToken?: string): Promise<AwsCredentials> {
  const idToken = givenToken ?? (await steps.getIdToken());
  try {
    return await identityThenCredentials(steps, key, idToken);
  } catch (error) {
    if (!isExpiredLogin(error)) throw failure(steps, error, idToken);
    if (givenToken !== undefined) throw clockSkew(error);
  }
  steps.log.info('Cognito says the ID token expired; refreshing it');
  const renewed = await steps.getIdToken({ forceRefresh: true });
  try {
    return await identityThenCredentials(steps, key, renewed);
  } catch (error) {
    throw isExpiredLogin(error) ? clockSkew(error) : failure(steps, error, renewed);
  }
}

function failure(steps: CognitoSteps, error: unknown, idToken: string) {
  let idTokenAlg: string | undefined;
  try {
    idTokenAlg = readIdToken(idToken).alg;
  } catch {
    idTokenAlg = undefined;
  }
  const appError = cognitoFailure(error, { ...steps.context, idTokenAlg });
  steps.log.warn('getting AWS credentials failed', { code: appError.code, error });
  return appError;
}
