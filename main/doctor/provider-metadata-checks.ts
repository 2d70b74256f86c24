// Checks 3–5: what the discovery document says about PKCE, ID token signing and refresh tokens —
// the three things the app's sign-in and Cognito's token check rely on. A field the IdP leaves out
// (Auth0 omits some) is reported as "not advertised", not as a failure.
import { importJWK, type JWK } from 'jose';
import type { ServerMetadata } from 'openid-client';
import { z } from 'zod';
import { HS256_MESSAGE } from '../auth/id-token';
import { isNetworkFailure, networkDown } from '../platform/network-failure';
import { CHECK, failed, passed, sentenceOf, type CheckResult } from './check-result';

const SIGNING_SETTING = 'Auth0 Dashboard > Applications > (app) > Advanced Settings > OAuth > JSON Web Token Signature Algorithm: RS256';

const jwksSchema = z.object({
  keys: z.array(z.looseObject({ kty: z.string(), use: z.string().optional(), alg: z.string().optional(), kid: z.string().optional() })),
});

export function checkPkce(metadata: ServerMetadata): CheckResult {
  const methods = metadata.code_challenge_methods_supported;
  if (methods === undefined) return passed(CHECK.pkce, 'code_challenge_methods_supported not advertised; the app sends S256');
  if (methods.includes('S256')) return passed(CHECK.pkce, `S256 supported (${methods.join(', ')})`);
  return failed(
    CHECK.pkce,
    `The identity provider offers PKCE methods ${methods.join(', ') || '(none)'} but not S256, which the app uses (RFC 8252). Use an Auth0 tenant or an application type (Native) that supports PKCE S256.`,
  );
}

export async function checkIdTokenSigning(metadata: ServerMetadata, options: { timeoutMs?: number } = {}): Promise<CheckResult> {
  const algs = metadata.id_token_signing_alg_values_supported;
  if (algs !== undefined && !algs.includes('RS256')) {
    if (algs.length > 0 && algs.every((alg) => /^HS\d+$/.test(alg))) return failed(CHECK.signing, HS256_MESSAGE);
    return failed(CHECK.signing, `The identity provider signs ID tokens with ${algs.join(', ') || '(nothing)'}; Cognito needs RS256. ${SIGNING_SETTING}`);
  }
  const advertised = algs === undefined ? 'id_token_signing_alg_values_supported not advertised' : 'RS256 advertised';
  const jwksUri = metadata.jwks_uri;
  if (!jwksUri) {
    return failed(CHECK.signing, `The discovery document has no jwks_uri, where Cognito fetches the keys that verify ID tokens. Check that the issuer is the Auth0 domain.`);
  }
  let keys: z.infer<typeof jwksSchema>['keys'];
  try {
    const response = await fetch(jwksUri, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
    if (!response.ok) return failed(CHECK.signing, `${jwksUri} answered HTTP ${response.status}; Cognito needs the signing keys there. Check the issuer in the cloud profile.`);
    const parsed = jwksSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) return failed(CHECK.signing, `${jwksUri} is not a JSON Web Key Set; Cognito needs the signing keys there. Check the issuer in the cloud profile.`);
    keys = parsed.data.keys;
  } catch (error) {
    return failed(CHECK.signing, isNetworkFailure(error) ? networkDown('the identity provider', jwksUri).message : sentenceOf(error));
  }
  const key = keys.find((candidate) => candidate.kty === 'RSA' && (candidate.use ?? 'sig') === 'sig' && (candidate.alg ?? 'RS256') === 'RS256');
  if (key === undefined) {
    const found = keys.map((each) => `${each.kty}${each.alg ? `/${each.alg}` : ''}`).join(', ') || 'no keys';
    return failed(CHECK.signing, `${jwksUri} has no RSA key for RS256 signatures (it has ${found}), so Cognito cannot verify ID tokens. ${SIGNING_SETTING}`);
  }
  try {
    await importJWK(key as JWK, 'RS256');
  } catch (error) {
    return failed(CHECK.signing, `The RSA key ${key.kid ?? ''} in ${jwksUri} is not a usable public key (${sentenceOf(error)}). Check the tenant's signing keys (Auth0 Dashboard > Settings > Signing Keys).`);
  }
  return passed(CHECK.signing, `${advertised}; ${jwksUri} has RSA signing key ${key.kid ?? '(no kid)'}`);
}

export function checkRefreshTokens(metadata: ServerMetadata): CheckResult {
  const grants = metadata.grant_types_supported;
  const scopes = metadata.scopes_supported;
  // The app asks for offline_access; without that scope Auth0 issues no refresh token at all.
  if (scopes !== undefined && !scopes.includes('offline_access')) {
    return failed(
      CHECK.refresh,
      'The identity provider does not offer the offline_access scope, so the app gets no refresh token and must open the browser at every start. Auth0 Dashboard > APIs > (API) > Settings > Allow Offline Access.',
    );
  }
  if (grants === undefined) return passed(CHECK.refresh, 'grant_types_supported not advertised; the app asks for offline_access');
  if (grants.includes('refresh_token')) return passed(CHECK.refresh, `refresh_token grant supported${scopes === undefined ? '' : ', offline_access offered'}`);
  return failed(
    CHECK.refresh,
    `The identity provider does not offer the refresh_token grant (it offers ${grants.join(', ') || 'none'}), so every start would need the browser. Auth0 Dashboard > Applications > (app) > Advanced Settings > Grant Types: enable Refresh Token.`,
  );
}
