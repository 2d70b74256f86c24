import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { type RunningIdp, startIdp } from '../../../localcloud/idp/start-idp';
import { openStateStore } from '../../../localcloud/state-store';
import { type HttpBrowser, httpBrowser } from '../../support/http-login';

const SCOPE = 'openid profile email offline_access';
const WRONG = 'Wrong username or password.';
const callback = (port: number, host = '127.0.0.1') => `http://${host}:${port}/callback`;

function appConfiguration(idp: RunningIdp, clientId = idp.clientId): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(idp.issuer), clientId, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
}

interface AuthorizationRequest {
  url: URL;
  verifier: string;
  nonce: string;
  state: string;
}

async function authorizationRequest(
  config: oidc.Configuration,
  redirectUri: string,
  extra: Record<string, string> = {},
): Promise<AuthorizationRequest> {
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: SCOPE,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
    ...extra,
  });
  return { url, verifier, nonce, state };
}

/** The whole sign-in of the desktop app: authorization request, login page, code exchange. */
async function signIn(
  idp: RunningIdp,
  config: oidc.Configuration,
  options: { port?: number; user?: number; browser?: HttpBrowser } = {},
) {
  const user = idp.users[options.user ?? 0]!;
  const request = await authorizationRequest(config, callback(options.port ?? 51_000));
  const landing = await (options.browser ?? httpBrowser(idp.issuer)).logIn(request.url, user.username, user.password);
  if (landing.kind !== 'left') throw new Error(`Login did not return to the app: ${landing.html.slice(0, 400)}`);
  const tokens = await oidc.authorizationCodeGrant(config, landing.url, {
    pkceCodeVerifier: request.verifier,
    expectedNonce: request.nonce,
    expectedState: request.state,
    idTokenExpected: true,
  });
  return { tokens, landing: landing.url, request };
}

describe('a quiet stand-in', () => {
  test('starting the IdP, signing in and refreshing print nothing on the console', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => vi.spyOn(console, method));
    try {
      const idp = await startIdp({ store: openStateStore(undefined) });
      try {
        const config = await appConfiguration(idp);
        const { tokens } = await signIn(idp, config);
        await oidc.refreshTokenGrant(config, tokens.refresh_token!);
        await httpBrowser(idp.issuer).open(`${idp.issuer}v2/logout`);
      } finally {
        await idp.stop();
      }
      expect(spies.flatMap((spy) => spy.mock.calls)).toEqual([]);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

describe('the Auth0 stand-in', () => {
  let idp: RunningIdp;
  let config: oidc.Configuration;

  beforeAll(async () => {
    idp = await startIdp({ store: openStateStore(undefined), testClients: true });
    config = await appConfiguration(idp);
  });
  afterAll(async () => {
    await idp?.stop();
  });

  test('publishes discovery and its RS256 public key at Auth0 paths under an issuer with a trailing slash', async () => {
    expect(idp.issuer).toBe(`http://127.0.0.1:${idp.port}/`);
    const discovery = (await (await fetch(`${idp.issuer}.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: `${idp.issuer}authorize`,
      token_endpoint: `${idp.issuer}oauth/token`,
      userinfo_endpoint: `${idp.issuer}userinfo`,
      jwks_uri: `${idp.issuer}.well-known/jwks.json`,
      revocation_endpoint: `${idp.issuer}oauth/revoke`,
      end_session_endpoint: `${idp.issuer}oidc/logout`,
      code_challenge_methods_supported: ['S256'],
    });
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(SCOPE.split(' ')));
    expect(idp.jwksUri).toBe(`${idp.issuer}.well-known/jwks.json`);
    const jwks = (await (await fetch(idp.jwksUri)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(config.serverMetadata().jwks_uri).toBe(idp.jwksUri);
  });

  test('a person logs in on the login page and the app gets an RS256 ID token with Auth0 claims', async () => {
    const { tokens, request } = await signIn(idp, config);
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, createRemoteJWKSet(new URL(idp.jwksUri)), {
      issuer: idp.issuer,
      audience: idp.clientId,
    });
    const jwks = (await (await fetch(idp.jwksUri)).json()) as { keys: { kid: string }[] };
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: jwks.keys[0]!.kid });
    expect(payload).toMatchObject({
      sub: expect.stringMatching(/^auth0\|[0-9a-f]{24}$/),
      name: 'Alice Example',
      email: 'alice@example.com',
      email_verified: true,
      picture: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/avatars\/.+\.svg$/),
      nonce: request.nonce,
      aud: idp.clientId,
      iss: idp.issuer,
    });
    expect(payload.exp! - payload.iat!).toBe(36_000);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.scope?.split(' ')).toEqual(expect.arrayContaining(SCOPE.split(' ')));

    const picture = await fetch(payload.picture as string);
    expect(picture.headers.get('content-type')).toContain('image/svg+xml');
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, payload.sub!);
    expect(userinfo).toMatchObject({ sub: payload.sub, email: 'alice@example.com', name: 'Alice Example' });
  });

  test('each demo user keeps their own subject', async () => {
    const alice = (await signIn(idp, config, { user: 0 })).tokens.claims()!;
    const bob = (await signIn(idp, config, { user: 1 })).tokens.claims()!;
    const aliceAgain = (await signIn(idp, config, { user: 0 })).tokens.claims()!;
    expect(bob).toMatchObject({ email: 'bob@example.com', name: 'Bob Example' });
    expect(bob.sub).not.toBe(alice.sub);
    expect(aliceAgain.sub).toBe(alice.sub);
  });

  test('loopback redirects to 127.0.0.1 are accepted on any port', async () => {
    for (const port of [49_152, 61_234]) {
      const { landing } = await signIn(idp, config, { port });
      expect(`${landing.origin}${landing.pathname}`).toBe(callback(port));
      expect(landing.searchParams.get('code')).toEqual(expect.any(String));
    }
  });

  test('redirects to localhost or to any non-loopback host are refused before the login page', async () => {
    for (const redirect of [callback(51_000, 'localhost'), 'https://app.example.com/callback', 'http://10.0.0.1:51000/callback']) {
      const landing = await httpBrowser(idp.issuer).open((await authorizationRequest(config, redirect)).url);
      expect(landing.kind).toBe('page');
      if (landing.kind !== 'page') continue;
      expect(landing.status).toBe(400);
      expect(landing.html).toContain('redirect_uri');
      expect(landing.html).not.toContain('name="password"');
    }
  });

  test('an authorization request without PKCE, or with the plain method, is refused', async () => {
    const withoutPkce = oidc.buildAuthorizationUrl(config, { redirect_uri: callback(51_000), scope: SCOPE, nonce: 'n' });
    const refused = await httpBrowser(idp.issuer).open(withoutPkce);
    expect(refused.kind).toBe('left');
    if (refused.kind !== 'left') return;
    expect(refused.url.searchParams.get('error')).toBe('invalid_request');
    expect(refused.url.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(refused.url.searchParams.has('code')).toBe(false);

    const plain = await authorizationRequest(config, callback(51_000));
    plain.url.searchParams.set('code_challenge', plain.verifier);
    plain.url.searchParams.set('code_challenge_method', 'plain');
    const plainRefused = await httpBrowser(idp.issuer).open(plain.url);
    expect(plainRefused.kind === 'left' && plainRefused.url.searchParams.get('error')).toBe('invalid_request');
  });

  test('a code cannot be redeemed without its PKCE verifier', async () => {
    const request = await authorizationRequest(config, callback(51_000));
    const user = idp.users[0]!;
    const landing = await httpBrowser(idp.issuer).logIn(request.url, user.username, user.password);
    if (landing.kind !== 'left') throw new Error('login failed');
    await expect(
      oidc.authorizationCodeGrant(config, landing.url, {
        pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
        expectedNonce: request.nonce,
        expectedState: request.state,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  test('a wrong password or an unknown user shows "Wrong username or password." and signs no one in', async () => {
    const browser = httpBrowser(idp.issuer);
    const { url } = await authorizationRequest(config, callback(51_000));
    for (const [username, password] of [
      [idp.users[0]!.username, `${idp.users[0]!.password}x`],
      [idp.users[0]!.username, idp.users[1]!.password],
      ['mallory@example.com', idp.users[0]!.password],
    ] as const) {
      const landing = await browser.logIn(url, username, password);
      expect(landing.kind).toBe('page');
      if (landing.kind !== 'page') continue;
      expect(landing.status).toBe(400);
      expect(landing.html).toMatch(new RegExp(`<p role="alert">${WRONG}</p>`));
      expect(landing.html).toContain('name="password"');
    }
    // Still nobody signed in: the same browser is shown the login page again, without the error.
    const again = await browser.open(url);
    expect(again.kind === 'page' && again.html.includes('name="password"') && !again.html.includes(WRONG)).toBe(true);
  });

  test('the connection parameter is shown on the login page, escaped', async () => {
    const shown = async (connection: string) => {
      const { url } = await authorizationRequest(config, callback(51_000), { connection });
      const landing = await httpBrowser(idp.issuer).open(url);
      return landing.kind === 'page' ? landing.html : '';
    };
    expect(await shown('Username-Password-Authentication')).toContain('Username-Password-Authentication');
    const hostile = await shown('<img src=x onerror=alert(1)>');
    expect(hostile).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(hostile).not.toContain('<img');
  });

  test('refresh tokens rotate: the new one works, the old one is then refused with invalid_grant', async () => {
    const { tokens } = await signIn(idp, config);
    const first = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(first.refresh_token).toEqual(expect.any(String));
    expect(first.refresh_token).not.toBe(tokens.refresh_token);
    expect(first.claims()).toMatchObject({ sub: tokens.claims()!.sub, email: 'alice@example.com' });
    const second = await oidc.refreshTokenGrant(config, first.refresh_token!);
    expect(second.access_token).toEqual(expect.any(String));
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  test('a revoked refresh token is refused', async () => {
    const { tokens } = await signIn(idp, config);
    await oidc.tokenRevocation(config, tokens.refresh_token!);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  test('/v2/logout ends the browser session and returns only to a loopback URL', async () => {
    const browser = httpBrowser(idp.issuer);
    await signIn(idp, config, { browser });
    // Signed in: the next sign-in goes straight back to the app.
    const silent = await browser.open((await authorizationRequest(config, callback(51_000))).url);
    expect(silent.kind === 'left' && silent.url.searchParams.has('code')).toBe(true);

    const refused = await browser.open(
      `${idp.issuer}v2/logout?client_id=${idp.clientId}&returnTo=${encodeURIComponent('https://evil.example/')}`,
    );
    expect(refused.kind === 'page' && refused.status).toBe(400);
    expect(refused.kind === 'page' && refused.html).toContain('Allowed Logout URLs');

    const returnTo = 'http://localhost:53111/signed-out?from=idp';
    const loggedOut = await browser.open(`${idp.issuer}v2/logout?client_id=${idp.clientId}&returnTo=${encodeURIComponent(returnTo)}`);
    expect(loggedOut.kind === 'left' && loggedOut.url.href).toBe(returnTo);

    const afterwards = await browser.open((await authorizationRequest(config, callback(51_000))).url);
    expect(afterwards.kind === 'page' && afterwards.html.includes('name="password"')).toBe(true);
  });

  test('the end_session endpoint asks, then logs out and returns to the app', async () => {
    const browser = httpBrowser(idp.issuer);
    const { tokens } = await signIn(idp, config, { browser });
    const postLogout = 'http://127.0.0.1:53112/logout';
    const question = await browser.open(
      oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: postLogout }),
    );
    if (question.kind !== 'page') throw new Error('expected the logout question');
    expect(question.html).toContain('Log out?');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(question.html)?.[1] ?? '';
    const answered = await browser.open(`${idp.issuer}oidc/logout/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
    });
    expect(answered.kind === 'left' && `${answered.url.origin}${answered.url.pathname}`).toBe(postLogout);
    const afterwards = await browser.open((await authorizationRequest(config, callback(51_000))).url);
    expect(afterwards.kind === 'page' && afterwards.html.includes('name="password"')).toBe(true);
  });

  test("the end_session endpoint returns to the app's signed-out page at the root of its loopback address, any port", async () => {
    const browser = httpBrowser(idp.issuer);
    const { tokens } = await signIn(idp, config, { browser });
    const returnTo = 'http://127.0.0.1:53113/';
    const question = await browser.open(
      oidc.buildEndSessionUrl(config, { client_id: idp.clientId, id_token_hint: tokens.id_token!, post_logout_redirect_uri: returnTo }),
    );
    if (question.kind !== 'page') throw new Error('expected the logout question');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(question.html)?.[1] ?? '';
    const answered = await browser.open(`${idp.issuer}oidc/logout/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
    });
    expect(answered.kind === 'left' && `${answered.url.origin}${answered.url.pathname}`).toBe(returnTo);
  });

  test('an application set to HS256 receives an HS256 ID token signed with its secret', async () => {
    const hs256 = idp.testClients!.hs256;
    const hsConfig = await oidc.discovery(
      new URL(idp.issuer),
      hs256.clientId,
      { id_token_signed_response_alg: 'HS256' },
      oidc.None(), // a Native application: a public client, even when its ID tokens are HS256
      { execute: [oidc.allowInsecureRequests] },
    );
    const { tokens } = await signIn(idp, hsConfig);
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('HS256');
    const { payload } = await jwtVerify(tokens.id_token!, new TextEncoder().encode(hs256.clientSecret), {
      issuer: idp.issuer,
      audience: hs256.clientId,
    });
    expect(payload.email).toBe('alice@example.com');
  });

  test('the other test application signs in with ID tokens for its own client ID', async () => {
    const other = idp.testClients!.other;
    expect(other.clientId).not.toBe(idp.clientId);
    const { tokens } = await signIn(idp, await appConfiguration(idp, other.clientId));
    expect(tokens.claims()).toMatchObject({ aud: other.clientId, email: 'alice@example.com' });
  });
});

describe('the Auth0 stand-in with a data dir', () => {
  let dir: string;
  const running: RunningIdp[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'idp-restart-'));
  });
  afterAll(async () => {
    for (const idp of running) await idp.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('after a restart: same issuer, users, client ID and key ID, the refresh token still works, new lifetimes apply', async () => {
    const first = await startIdp({ store: openStateStore(dir) });
    running.push(first);
    const { tokens } = await signIn(first, await appConfiguration(first));
    const firstKid = ((await (await fetch(first.jwksUri)).json()) as { keys: { kid: string }[] }).keys[0]!.kid;
    await first.stop();
    // fetch keeps sockets alive; give this process a moment to see the old server close them
    // (a real restart is a new process and takes far longer).
    await new Promise((resolve) => setTimeout(resolve, 100));

    const second = await startIdp({
      store: openStateStore(dir),
      port: first.port,
      idTokenTtlSeconds: 120,
      accessTokenTtlSeconds: 90,
    });
    running.push(second);
    expect(second.issuer).toBe(first.issuer);
    expect(second.clientId).toBe(first.clientId);
    expect(second.users).toEqual(first.users);
    const secondKid = ((await (await fetch(second.jwksUri)).json()) as { keys: { kid: string }[] }).keys[0]!.kid;
    expect(secondKid).toBe(firstKid);

    const config = await appConfiguration(second);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    const { payload } = await jwtVerify(refreshed.id_token!, createRemoteJWKSet(new URL(second.jwksUri)), {
      issuer: second.issuer,
      audience: second.clientId,
    });
    expect(payload.sub).toBe(tokens.claims()!.sub);
    expect(payload.exp! - payload.iat!).toBe(120);
    expect(refreshed.expires_in).toBe(90);
    // The users' passwords were kept too: they still log in.
    await signIn(second, config, { user: 1 });
  });

  test('a kept port that is taken is a clear error, not a new issuer', async () => {
    const holder = await startIdp({ store: openStateStore(undefined) });
    running.push(holder);
    await expect(startIdp({ store: openStateStore(dir), port: holder.port })).rejects.toMatchObject({ code: 'PORT_IN_USE' });
  });
});
