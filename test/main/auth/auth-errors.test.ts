// The IdP failures a user or admin can hit, produced by openid-client itself from the answers an
// Auth0 tenant can give, and the code and sentence each becomes.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import { describe, expect, test } from 'vitest';
import { authorizationResponseFailure, oidcFailure } from '../../../main/auth/auth-errors';
import { HS256_MESSAGE } from '../../../main/auth/id-token';
import { discoverProvider, refreshTokenGrant } from '../../../main/auth/identity-provider';
import { AppError } from '../../../shared/errors';

const issuer = 'https://tenant.eu.auth0.com/';
const clientId = 'client-1';
const settings = { issuer, clientId };
const rsaKey = await generateKeyPair('RS256');

function tenant(answer: () => Response | Promise<Response>, algs: string[] = ['RS256']): oidc.Configuration {
  const config = new oidc.Configuration(
    {
      issuer,
      authorization_endpoint: `${issuer}authorize`,
      token_endpoint: `${issuer}oauth/token`,
      id_token_signing_alg_values_supported: algs,
    },
    clientId,
    undefined,
    oidc.None(),
  );
  config[oidc.customFetch] = async () => answer();
  return config;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function idToken(claims: Record<string, unknown>, alg: 'RS256' | 'HS256' = 'RS256'): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ sub: 'auth0|1', aud: clientId, iss: issuer, iat: now, exp: now + 3600, ...claims }).setProtectedHeader({ alg });
  return alg === 'RS256' ? jwt.sign(rsaKey.privateKey) : jwt.sign(new TextEncoder().encode('x'.repeat(32)));
}

async function refreshFailure(config: oidc.Configuration, context = settings): Promise<AppError> {
  const error = await refreshTokenGrant(config, context, 'stored-refresh-token').then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('token endpoint answers', () => {
  test('a refused refresh token (invalid_grant) ends the session with SESSION_EXPIRED', async () => {
    const error = await refreshFailure(tenant(() => json({ error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' }, 403)));
    expect(error.code).toBe('SESSION_EXPIRED');
    expect(error.message).toMatch(/Sign in again/);
  });

  test('an unknown client ID says which Auth0 settings to check', async () => {
    const error = await refreshFailure(tenant(() => json({ error: 'invalid_client', error_description: 'Client authentication failed' }, 401)));
    expect(error.code).toBe('IDP_CLIENT_UNKNOWN');
    expect(error.message).toContain(clientId);
    expect(error.message).toContain('Authentication Method: None');
  });

  test('a client without the refresh grant names the Grant Types setting', async () => {
    const error = await refreshFailure(tenant(() => json({ error: 'unauthorized_client' }, 403)));
    expect(error.code).toBe('IDP_CLIENT_NOT_ALLOWED');
    expect(error.message).toContain('Grant Types');
  });

  test('an HS256 ID token is refused with the Auth0 setting to change, whether or not the tenant advertises HS256', async () => {
    const token = await idToken({}, 'HS256');
    for (const algs of [['RS256'], ['RS256', 'HS256']]) {
      const error = await refreshFailure(tenant(() => json({ access_token: 'a', token_type: 'Bearer', id_token: token }), algs));
      expect(error.code).toBe('ID_TOKEN_HS256');
      expect(error.message).toBe(HS256_MESSAGE);
    }
  });

  test('an ID token for another application is refused as ID_TOKEN_INVALID naming our client ID', async () => {
    const token = await idToken({ aud: 'another-client' });
    const error = await refreshFailure(tenant(() => json({ access_token: 'a', token_type: 'Bearer', id_token: token })));
    expect(error.code).toBe('ID_TOKEN_INVALID');
    expect(error.message).toContain(clientId);
  });

  test('an ID token that looks expired to this computer is blamed on the clock', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await idToken({ iat: now - 7200, exp: now - 3600 });
    const error = await refreshFailure(tenant(() => json({ access_token: 'a', token_type: 'Bearer', id_token: token })));
    expect(error.code).toBe('CLOCK_SKEW');
    expect(error.message).toMatch(/clock/);
  });

  test('an ID token from another issuer says to fix the issuer in the profile', async () => {
    const token = await idToken({ iss: 'https://other.auth0.com/' });
    const error = await refreshFailure(tenant(() => json({ access_token: 'a', token_type: 'Bearer', id_token: token })));
    expect(error.code).toBe('IDP_MISCONFIGURED');
  });

  test('a token endpoint that nobody answers on is NETWORK_DOWN, not an internal error', async () => {
    const config = new oidc.Configuration(
      { issuer: 'http://127.0.0.1:9/', token_endpoint: 'http://127.0.0.1:9/oauth/token' },
      clientId,
      undefined,
      oidc.None(),
    );
    oidc.allowInsecureRequests(config);
    const error = await refreshFailure(config, { issuer: 'http://127.0.0.1:9/', clientId });
    expect(error.code).toBe('NETWORK_DOWN');
    expect(error.message).toContain('127.0.0.1:9');
  });
});

describe('discovery', () => {
  async function servingDiscovery(document: (origin: string) => unknown): Promise<{ origin: string; close(): void }> {
    const server = createServer((_request, response) => {
      const { port } = server.address() as AddressInfo;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document(`http://127.0.0.1:${port}`)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { origin: `http://127.0.0.1:${port}`, close: () => server.close() };
  }

  test('an issuer whose discovery document names another issuer (missing trailing slash) is IDP_MISCONFIGURED', async () => {
    const idp = await servingDiscovery((origin) => ({ issuer: `${origin}/tenant`, authorization_endpoint: `${origin}/authorize` }));
    try {
      const error = await discoverProvider({ issuer: `${idp.origin}/`, clientId }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('IDP_MISCONFIGURED');
      expect((error as AppError).message).toContain('.well-known/openid-configuration');
    } finally {
      idp.close();
    }
  });

  test('an http issuer that is not on this machine is refused before any request', async () => {
    const error = await discoverProvider({ issuer: 'http://tenant.eu.auth0.com/', clientId }).catch((caught: unknown) => caught);
    expect((error as AppError).code).toBe('IDP_MISCONFIGURED');
    expect((error as AppError).message).toMatch(/https/);
  });

  test('an unreachable issuer is NETWORK_DOWN', async () => {
    const error = await discoverProvider({ issuer: 'http://127.0.0.1:9/', clientId }).catch((caught: unknown) => caught);
    expect((error as AppError).code).toBe('NETWORK_DOWN');
  });
});

describe('authorization responses', () => {
  test('access_denied from the IdP becomes SIGN_IN_DENIED with its description', () => {
    const error = authorizationResponseFailure('access_denied', 'User is blocked');
    expect(error.code).toBe('SIGN_IN_DENIED');
    expect(error.message).toContain('User is blocked');
  });

  test('any other IdP error keeps the IdP words in the sentence', () => {
    const error = authorizationResponseFailure('login_required', undefined);
    expect(error.code).toBe('IDP_ERROR');
    expect(error.message).toContain('login_required');
  });

  test('openid-client\'s own authorization response errors map the same way', async () => {
    const config = tenant(() => json({}));
    const thrown = await oidc
      .authorizationCodeGrant(config, new URL('http://127.0.0.1:5000/callback?error=access_denied&state=s'), { expectedState: 's' })
      .catch((caught: unknown) => caught);
    expect(oidcFailure(thrown, 'sign-in', settings).code).toBe('SIGN_IN_DENIED');
  });

  test('a state that openid-client finds wrong is SIGN_IN_STATE_MISMATCH', async () => {
    const config = tenant(() => json({}));
    const thrown = await oidc
      .authorizationCodeGrant(config, new URL('http://127.0.0.1:5000/callback?code=c&state=forged'), { expectedState: 'expected' })
      .catch((caught: unknown) => caught);
    expect(oidcFailure(thrown, 'sign-in', settings).code).toBe('SIGN_IN_STATE_MISMATCH');
  });

  test('anything unforeseen is INTERNAL with a sentence, never the raw error', () => {
    const error = oidcFailure(new RangeError('boom'), 'sign-in', settings);
    expect(error.code).toBe('INTERNAL');
    expect(JSON.stringify(error)).not.toContain('boom');
  });
});
