// GetId, GetCredentialsForIdentity and GetOpenIdToken for the emulator's one identity pool, which
// admits authenticated identities only.
import { CognitoError, notAuthorized } from './cognito-error';
import type { CredentialRegistry } from './credential-registry';
import type { IdentityMap, IdentityRecord } from './identity-map';
import type { LoginVerifier } from './login-token-verifier';
import type { OpenIdTokenSigner } from './open-id-token-signer';
import { getCredentialsForIdentityRequest, getIdRequest, getOpenIdTokenRequest, parseRequest } from './request-schemas';

export interface CognitoPool {
  identityPoolId: string;
  identityPoolArn: string;
  verifyLogins: LoginVerifier;
  identities: IdentityMap;
  credentials: CredentialRegistry;
  signer: OpenIdTokenSigner;
}

export type Operation = (body: unknown) => Promise<object>;

export function createOperations(pool: CognitoPool): Record<string, Operation> {
  /** The identity, once the caller has shown a valid login that is this identity's own. */
  async function authorizedIdentity(identityId: string, logins: Record<string, string> | undefined): Promise<IdentityRecord> {
    const identity = pool.identities.find(identityId);
    if (identity === undefined) throw new CognitoError('ResourceNotFoundException', `Identity '${identityId}' not found.`);
    if (logins === undefined || Object.keys(logins).length === 0) {
      throw notAuthorized(`Access to Identity '${identityId}' is forbidden.`);
    }
    const login = await pool.verifyLogins(logins);
    if (login.providerName !== identity.providerName || login.sub !== identity.sub) {
      throw notAuthorized(
        "Logins don't match. Please include at least one valid login for this identity or identity pool.",
      );
    }
    return identity;
  }

  return {
    async GetId(body) {
      const request = parseRequest(getIdRequest, body);
      if (request.IdentityPoolId !== pool.identityPoolId) {
        throw new CognitoError('ResourceNotFoundException', `IdentityPool '${request.IdentityPoolId}' not found.`);
      }
      if (request.Logins === undefined || Object.keys(request.Logins).length === 0) {
        throw notAuthorized('Unauthenticated access is not supported for this identity pool.');
      }
      const login = await pool.verifyLogins(request.Logins);
      return { IdentityId: pool.identities.identityFor(pool.identityPoolId, login.providerName, login.sub) };
    },

    async GetCredentialsForIdentity(body) {
      const request = parseRequest(getCredentialsForIdentityRequest, body);
      await authorizedIdentity(request.IdentityId, request.Logins);
      // The pool has one authenticated role and no role mapping; a role asked for by name is refused,
      // not silently swapped for that role (what Cognito answers here is not documented).
      if (request.CustomRoleArn !== undefined) {
        throw new CognitoError(
          'InvalidParameterException',
          `CustomRoleArn '${request.CustomRoleArn}' is not allowed: this identity pool has no role mapping that lets a login choose its role.`,
        );
      }
      const issued = pool.credentials.issue(request.IdentityId);
      return {
        IdentityId: request.IdentityId,
        Credentials: {
          AccessKeyId: issued.accessKeyId,
          SecretKey: issued.secretAccessKey,
          SessionToken: issued.sessionToken,
          Expiration: Math.floor(issued.expiration / 1000),
        },
      };
    },

    async GetOpenIdToken(body) {
      const request = parseRequest(getOpenIdTokenRequest, body);
      const identity = await authorizedIdentity(request.IdentityId, request.Logins);
      const token = await pool.signer.sign({
        identityPoolId: identity.identityPoolId,
        identityId: request.IdentityId,
        providerName: identity.providerName,
        sub: identity.sub,
        identityPoolArn: pool.identityPoolArn,
      });
      return { IdentityId: request.IdentityId, Token: token };
    },
  };
}
