import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type RunningIdp, startIdp } from '../../../localcloud/idp/start-idp';
import { closeServer, listen } from '../../../localcloud/listen';
import { openStateStore } from '../../../localcloud/state-store';

let home: string;
let idp: RunningIdp;
let browser: Browser;
let callbackServer: Server;
let callbackPort: number;
const callbacks: string[] = [];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'idp-chromium-home-'));
  idp = await startIdp({ store: openStateStore(undefined) });
  // The desktop app's loopback callback: records what the IdP sent and tells the person to go back.
  callbackServer = createServer((req, res) => {
    if (req.url?.startsWith('/callback')) callbacks.push(`http://127.0.0.1:${callbackPort}${req.url}`);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<h1>Signed in. You can close this tab.</h1>');
  });
  callbackPort = await listen(callbackServer, 0, 'callback');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    env: { ...process.env, HOME: home },
  });
});

afterAll(async () => {
  await browser?.close();
  if (callbackServer) await closeServer(callbackServer);
  await idp?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

test('in Chromium, a person logs in by the labelled fields and lands on the app loopback callback', async () => {
  const config = await oidc.discovery(new URL(idp.issuer), idp.clientId, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = oidc.randomState();
  const redirectUri = `http://127.0.0.1:${callbackPort}/callback`;
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
    connection: 'Username-Password-Authentication',
  });
  const alice = idp.users[0]!;
  const page = await (await browser.newContext()).newPage();
  await page.goto(authorizationUrl.href);
  await expect.poll(() => page.getByText('Username-Password-Authentication').count()).toBe(1);

  await page.getByLabel('Username').fill(alice.username);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toBe('Wrong username or password.');
  expect(callbacks).toEqual([]);

  await page.getByLabel('Password').fill(alice.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.href.startsWith(redirectUri));
  await expect.poll(() => page.getByRole('heading').textContent()).toContain('Signed in');

  expect(callbacks).toHaveLength(1);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(callbacks[0]!), {
    pkceCodeVerifier: verifier,
    expectedNonce: nonce,
    expectedState: state,
    idTokenExpected: true,
  });
  expect(tokens.claims()).toMatchObject({ email: alice.username, name: 'Alice Example' });
  expect(tokens.refresh_token).toEqual(expect.any(String));
});
