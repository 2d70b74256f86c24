import type { ServerMetadata } from 'openid-client';
import { expect, test } from 'vitest';
import { HS256_MESSAGE } from '../../../main/auth/id-token';
import { checkIdTokenSigning, checkPkce, checkRefreshTokens } from '../../../main/doctor/provider-metadata-checks';

const metadata = (fields: Partial<ServerMetadata>): ServerMetadata => ({ issuer: 'https://tenant.eu.auth0.com/', ...fields });

test('an IdP that does not advertise PKCE methods passes, saying so', () => {
  expect(checkPkce(metadata({}))).toMatchObject({ ok: true, detail: expect.stringContaining('not advertised') });
});

test('an IdP that offers only plain PKCE fails', () => {
  expect(checkPkce(metadata({ code_challenge_methods_supported: ['plain'] }))).toMatchObject({ ok: false, detail: expect.stringContaining('not S256') });
});

test('an IdP that signs ID tokens only with HS256 fails with the Auth0 setting to change', async () => {
  const result = await checkIdTokenSigning(metadata({ id_token_signing_alg_values_supported: ['HS256'], jwks_uri: 'http://127.0.0.1:9/jwks' }));
  expect(result).toEqual({ name: 'ID token signing', ok: false, detail: HS256_MESSAGE });
});

test('an IdP without RS256 among other algorithms fails, naming them', async () => {
  const result = await checkIdTokenSigning(metadata({ id_token_signing_alg_values_supported: ['ES256'] }));
  expect(result).toMatchObject({ ok: false, detail: expect.stringMatching(/signs ID tokens with ES256; Cognito needs RS256/) });
});

test('an IdP without a jwks_uri fails: Cognito could not fetch its keys', async () => {
  const result = await checkIdTokenSigning(metadata({ id_token_signing_alg_values_supported: ['RS256'] }));
  expect(result).toMatchObject({ ok: false, detail: expect.stringContaining('no jwks_uri') });
});

test('refresh tokens: absent grant list passes as not advertised; a list without refresh_token fails', () => {
  expect(checkRefreshTokens(metadata({}))).toMatchObject({ ok: true, detail: expect.stringContaining('not advertised') });
  expect(checkRefreshTokens(metadata({ grant_types_supported: ['authorization_code'] }))).toMatchObject({
    ok: false,
    detail: expect.stringContaining('enable Refresh Token'),
  });
});

test('an IdP that lists its scopes without offline_access fails: no refresh token would be issued', () => {
  const result = checkRefreshTokens(metadata({ grant_types_supported: ['refresh_token'], scopes_supported: ['openid', 'profile'] }));
  expect(result).toMatchObject({ ok: false, detail: expect.stringContaining('offline_access') });
});
