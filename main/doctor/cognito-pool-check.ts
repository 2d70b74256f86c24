// Check 6: the identity pool exists and refuses guests. An unsigned GetId without Logins is the one
// question Cognito answers without a sign-in: "Unauthenticated access is not supported" proves
// both that the pool exists and that guest access is off, as the app's design requires.
import { CognitoIdentityClient, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { cognitoEndpointOf, loginsKey, type CloudProfile } from '../../shared/cloud-profile';
import { cognitoFailure, type CognitoContext } from '../aws/cognito-errors';
import { CHECK, failed, passed, type CheckResult } from './check-result';

export type GuestProbeOutcome = { identityId: string } | { error: unknown };

/** A Cognito client that fails fast: the doctor reports, it does not retry. */
export function doctorCognitoClient(profile: CloudProfile, timeoutMs: number): CognitoIdentityClient {
  return new CognitoIdentityClient({
    region: profile.region,
    ...(profile.cognitoEndpoint ? { endpoint: profile.cognitoEndpoint } : {}),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs },
  });
}

export function cognitoContextOf(profile: CloudProfile, idTokenAlg?: string): CognitoContext {
  return {
    identityPoolId: profile.identityPoolId,
    region: profile.region,
    providerName: loginsKey(profile.issuer),
    clientId: profile.clientId,
    endpoint: cognitoEndpointOf(profile),
    idTokenAlg,
  };
}

/** What GetId without Logins says about the pool. */
export function judgeGuestProbe(outcome: GuestProbeOutcome, context: CognitoContext): CheckResult {
  const pool = context.identityPoolId;
  if ('identityId' in outcome) {
    return failed(
      CHECK.pool,
      `The identity pool ${pool} hands out AWS identities to anyone who asks, signed in or not (guest access is on; it just gave out ${outcome.identityId}). The app's design forbids it: AWS Console > Cognito > Identity pools > ${pool} > User access > Guest access: Deactivate (AllowUnauthenticatedIdentities: false, as in infra/template.yaml).`,
    );
  }
  const { name, message } = (outcome.error ?? {}) as { name?: unknown; message?: unknown };
  if (name === 'NotAuthorizedException' && typeof message === 'string' && /Unauthenticated access is not supported/i.test(message)) {
    return passed(CHECK.pool, `${pool} exists in ${context.region} (${context.endpoint}); guest access is off`);
  }
  return failed(CHECK.pool, cognitoFailure(outcome.error, context).message);
}

export async function checkCognitoPool(profile: CloudProfile, options: { timeoutMs?: number } = {}): Promise<CheckResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const client = doctorCognitoClient(profile, timeoutMs);
  let outcome: GuestProbeOutcome;
  try {
    const answer = await client.send(new GetIdCommand({ IdentityPoolId: profile.identityPoolId }));
    outcome = { identityId: answer.IdentityId ?? '(no ID)' };
  } catch (error) {
    outcome = { error };
  } finally {
    client.destroy();
  }
  return judgeGuestProbe(outcome, cognitoContextOf(profile));
}
