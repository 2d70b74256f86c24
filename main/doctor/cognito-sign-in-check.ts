// Check 9: Cognito accepts the session's ID token — GetId and GetCredentialsForIdentity with the
// Logins map the app sends — and hands out temporary AWS credentials.
import { GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { loginsKey, type CloudProfile } from '../../shared/cloud-profile';
import { readIdToken } from '../auth/id-token';
import type { AwsCredentials } from '../aws/cognito-credentials';
import { cognitoFailure } from '../aws/cognito-errors';
import { CHECK, failed, passed, type CheckResult } from './check-result';
import { cognitoContextOf, doctorCognitoClient } from './cognito-pool-check';

export async function checkCognitoSignIn(
  profile: CloudProfile,
  idToken: string,
  options: { timeoutMs?: number } = {},
): Promise<{ result: CheckResult; credentials?: AwsCredentials }> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const client = doctorCognitoClient(profile, timeoutMs);
  const logins = { [loginsKey(profile.issuer)]: idToken };
  const context = cognitoContextOf(profile, readIdToken(idToken).alg);
  try {
    const { IdentityId: identityId } = await client.send(new GetIdCommand({ IdentityPoolId: profile.identityPoolId, Logins: logins }));
    if (!identityId) throw new Error('GetId returned no IdentityId');
    const { Credentials: issued } = await client.send(new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins: logins }));
    if (!issued?.AccessKeyId || !issued.SecretKey || !issued.SessionToken || !issued.Expiration) {
      throw new Error('GetCredentialsForIdentity returned incomplete credentials');
    }
    const credentials: AwsCredentials = {
      identityId,
      accessKeyId: issued.AccessKeyId,
      secretAccessKey: issued.SecretKey,
      sessionToken: issued.SessionToken,
      expiration: issued.Expiration,
    };
    return {
      result: passed(CHECK.cognitoSignIn, `${loginsKey(profile.issuer)} accepted: identity ${identityId}, temporary credentials until ${issued.Expiration.toISOString()}`),
      credentials,
    };
  } catch (error) {
    return { result: failed(CHECK.cognitoSignIn, cognitoFailure(error, context).message) };
  } finally {
    client.destroy();
  }
}
