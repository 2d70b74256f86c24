// The requests the app sends an Auth0 tenant: what the authorization URL carries, and which logout
// page a sign-out opens.
import * as oidc from 'openid-client';
import { expect, test } from 'vitest';
import { buildLogoutUrl, buildSignInRequest, SCOPES } from '../../../main/auth/identity-provider';

const issuer = 'https://tenant.eu.auth0.com/';
const settings = { issuer, clientId: 'client-1', audience: 'https://api.example.com/', connection: 'google-oauth2' };

function tenant(extra: Record<string, string> = {}): oidc.Configuration {
  return new oidc.Configuration({ issuer, authorization_endpoint: `${issuer}authorize`, token_endpoint: `${issuer}oauth/token`, ...extra }, 'client-1', undefined, oidc.None());
}

test('the authorization URL carries PKCE S256, state, nonce, the loopback redirect, the scopes and the optional Auth0 parameters', async () => {
  const request = await buildSignInRequest(tenant(), settings, {
    redirectUri: 'http://127.0.0.1:5000/callback',
    state: 'state-1',
    prompt: 'login',
    loginHint: 'alice@example.com',
  });
  const params = request.url.searchParams;
  expect(request.url.origin + request.url.pathname).toBe(`${issuer}authorize`);
  expect(params.get('response_type')).toBe('code');
  expect(params.get('client_id')).toBe('client-1');
  expect(params.get('redirect_uri')).toBe('http://127.0.0.1:5000/callback');
  expect(params.get('scope')).toBe(SCOPES);
  expect(SCOPES.split(' ')).toEqual(['openid', 'profile', 'email', 'offline_access']);
  expect(params.get('code_challenge_method')).toBe('S256');
  expect(params.get('code_challenge')).toBe(await oidc.calculatePKCECodeChallenge(request.codeVerifier));
  expect(params.get('state')).toBe('state-1');
  expect(params.get('nonce')).toBe(request.nonce);
  expect(params.get('audience')).toBe('https://api.example.com/');
  expect(params.get('connection')).toBe('google-oauth2');
  expect(params.get('prompt')).toBe('login');
  expect(params.get('login_hint')).toBe('alice@example.com');
  // The verifier never leaves the app.
  expect(request.url.href).not.toContain(request.codeVerifier);
});

test('without optional settings, no empty parameters are sent; a per-sign-in connection overrides the profile', async () => {
  const bare = await buildSignInRequest(tenant(), { issuer, clientId: 'client-1' }, { redirectUri: 'http://127.0.0.1:5000/callback', state: 's' });
  for (const name of ['audience', 'connection', 'prompt', 'login_hint']) expect(bare.url.searchParams.has(name)).toBe(false);
  const chosen = await buildSignInRequest(tenant(), settings, { redirectUri: 'http://127.0.0.1:5000/callback', state: 's', connection: 'github' });
  expect(chosen.url.searchParams.get('connection')).toBe('github');
});

test("sign-out opens the end_session_endpoint when the tenant advertises one, else Auth0's /v2/logout", () => {
  const endSession = buildLogoutUrl(tenant({ end_session_endpoint: `${issuer}oidc/logout` }), settings, 'http://127.0.0.1:5000/logout');
  expect(endSession.origin + endSession.pathname).toBe(`${issuer}oidc/logout`);
  expect(endSession.searchParams.get('client_id')).toBe('client-1');
  expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe('http://127.0.0.1:5000/logout');

  const auth0 = buildLogoutUrl(tenant(), settings, 'http://127.0.0.1:5000/logout');
  expect(auth0.origin + auth0.pathname).toBe(`${issuer}v2/logout`);
  expect(auth0.searchParams.get('client_id')).toBe('client-1');
  expect(auth0.searchParams.get('returnTo')).toBe('http://127.0.0.1:5000/logout');
  expect(buildLogoutUrl(tenant(), settings).searchParams.has('returnTo')).toBe(false);
});
