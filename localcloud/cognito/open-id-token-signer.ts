// Cognito's own OpenID tokens (GetOpenIdToken), signed RS512 with a key kept in the store so tokens
// stay verifiable across restarts; its public half is served like Cognito's jwks_uri.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import type { StateStore } from '../state-store';

export const COGNITO_ISSUER = 'https://cognito-identity.amazonaws.com';
const ALGORITHM = 'RS512';
const TOKEN_LIFETIME_SECONDS = 600;
const STORE_NAME = 'cognito-openid-key';

export interface OpenIdTokenClaims {
  identityPoolId: string;
  identityId: string;
  providerName: string;
  sub: string;
  identityPoolArn: string;
}

export interface OpenIdTokenSigner {
  sign(claims: OpenIdTokenClaims): Promise<string>;
  jwks(): { keys: JWK[] };
}

export async function openOpenIdTokenSigner(store: StateStore, now: () => number): Promise<OpenIdTokenSigner> {
  const kept = store.read<{ privateJwk: JWK; publicJwk: JWK }>(STORE_NAME) ?? (await createKey(store));
  const privateKey = await importJWK(kept.privateJwk, ALGORITHM);
  const kid = kept.publicJwk.kid!;

  return {
    sign: ({ identityPoolId, identityId, providerName, sub, identityPoolArn }) => {
      const issuedAt = Math.floor(now() / 1000);
      return new SignJWT({
        amr: ['authenticated', providerName, `${providerName}:${sub}`],
        'https://cognito-identity.amazonaws.com/identity-pool-arn': identityPoolArn,
      })
        .setProtectedHeader({ alg: ALGORITHM, kid, typ: 'JWS' })
        .setIssuer(COGNITO_ISSUER)
        .setAudience(identityPoolId)
        .setSubject(identityId)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + TOKEN_LIFETIME_SECONDS)
        .sign(privateKey);
    },
    jwks: () => ({ keys: [kept.publicJwk] }),
  };
}

async function createKey(store: StateStore): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true, modulusLength: 2048 });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const key = {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALGORITHM },
    publicJwk: { ...publicJwk, kid, alg: ALGORITHM, use: 'sig' },
  };
  store.write(STORE_NAME, key);
  return key;
}
