// Signing in as a person does — localcloud's Auth0 stand-in in Chromium as the system browser, the
// real gnome-keyring, the Cognito emulator and DynamoDB through the gateway — and what the app keeps.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../localcloud/start-local-cloud';
import { AppError } from '../../../shared/errors';
import {
  filesUnder,
  launchSystemBrowser,
  leaked,
  logInAndReturn,
  portClosed,
  redirectUriOf,
  watchTokenResponses,
} from '../../support/system-browser';
import { newProfileDir, profileFor, startTestApp, type TestApp } from '../../support/test-app';

let root: string;
let cloud: LocalCloud;
let browser: Browser;
const apps: TestApp[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'session-int-'));
  [cloud, browser] = await Promise.all([startLocalCloud({ inMemory: true }), launchSystemBrowser()]);
});

afterAll(async () => {
  for (const app of apps) app.close();
  await browser?.close();
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

async function app(profileDir: string): Promise<TestApp> {
  const started = await startTestApp(profileDir, profileFor(cloud));
  apps.push(started);
  return started;
}

const alice = () => cloud.users[0]!;
const bob = () => cloud.users[1]!;

/** Signs in with the browser logging in as `user`; returns the loopback page's text. */
async function signIn(target: TestApp, user: { username: string; password: string }): Promise<string> {
  let pageText = '';
  target.platform.onOpen = async (url) => {
    pageText = await logInAndReturn(browser, url, user);
  };
  await target.session.signIn();
  await target.platform.browserSettled();
  return pageText;
}

async function publicConfig(): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(cloud.issuer), cloud.clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
}

describe('one device', () => {
  let dir: string;
  let first: TestApp;
  let stored: { refreshToken: string; idToken: string };
  let identityId: string;

  test('a full sign-in: browser login, tokens in the keychain, credentials, and a DynamoDB call under the user\'s identity', async () => {
    dir = await newProfileDir(root);
    first = await app(dir);
    const watch = watchTokenResponses(`${cloud.issuer}oauth/token`);
    let pageText: string;
    try {
      pageText = await signIn(first, alice());
    } finally {
      watch.stop();
    }

    expect(first.session.view()).toMatchObject({ state: 'signedIn', profile: { email: alice().username } });
    expect(pageText).toContain('You can close this tab and return to the app');

    // The request was an RFC 8252 one: PKCE S256, state, nonce, the loopback redirect, offline_access.
    expect(first.platform.opened).toHaveLength(1);
    const request = new URL(first.platform.opened[0]!);
    expect(request.searchParams.get('code_challenge_method')).toBe('S256');
    expect(request.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(request.searchParams.get('state')).toBeTruthy();
    expect(request.searchParams.get('nonce')).toBeTruthy();
    expect(request.searchParams.get('scope')).toBe('openid profile email offline_access');
    const redirectUri = redirectUriOf(request.href);
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(await portClosed(Number(new URL(redirectUri).port))).toBe(true);

    // Exactly one keychain entry, named issuer|sub, holding only the refresh token and the ID token.
    const entries = await first.keychainEntries();
    const sub = first.session.user()!.sub;
    expect(entries.map((entry) => entry.account)).toEqual([`${cloud.issuer}|${sub}`]);
    stored = JSON.parse(entries[0]!.password) as typeof stored;
    expect(Object.keys(stored).sort()).toEqual(['idToken', 'refreshToken']);
    expect(watch.tokens).toContain(stored.refreshToken);
    expect(watch.tokens).toContain(stored.idToken);

    const credentials = await first.credentials.get();
    identityId = credentials.identityId;
    expect(identityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    expect(credentials.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);

    const dynamodb = new DynamoDBClient({ region: cloud.region, endpoint: cloud.dynamodbEndpoint, credentials: first.credentials.provider });
    try {
      const key = { pk: { S: identityId }, sk: { S: 'D#signin-smoke' } };
      await dynamodb.send(new PutItemCommand({ TableName: cloud.tableName, Item: { ...key, syncCount: { N: '1' } } }));
      const read = await dynamodb.send(new GetItemCommand({ TableName: cloud.tableName, Key: key, ConsistentRead: true }));
      expect(read.Item?.syncCount).toEqual({ N: '1' });
      const someoneElse = { pk: { S: 'us-east-1:00000000-0000-0000-0000-000000000000' }, sk: { S: 'D#x' } };
      await expect(dynamodb.send(new PutItemCommand({ TableName: cloud.tableName, Item: someoneElse }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
      });
    } finally {
      dynamodb.destroy();
    }

    // Nothing secret in the profile dir or the log: not the tokens the IdP sent, nor the AWS keys.
    const secrets = [...watch.tokens, credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken];
    expect(watch.tokens.size).toBe(3); // access, refresh and ID token: the scan looks for all three
    const files = await filesUnder(dir);
    expect(files.map((file) => basename(file.path)).sort()).toEqual(['cognito-identity-ids.json', 'profile-id']);
    expect(first.logLines.length).toBeGreaterThan(0);
    expect(leaked([...files.map((file) => file.text), ...first.logLines], secrets)).toEqual([]);
    // The scan itself can fail: the ID token's subject and the identity ID are in there.
    expect(leaked(files.map((file) => file.text), [identityId])).toEqual([identityId]);
  });

  test('after a restart the user is signed in from the keychain, without a browser', async () => {
    first.close();
    const restarted = await app(dir);
    expect(restarted.session.view()).toEqual({ state: 'signedOut' });
    const view = await restarted.session.restore();
    expect(view).toMatchObject({ state: 'signedIn', profile: { email: alice().username } });
    expect(await restarted.session.getIdToken()).toBe(stored.idToken);
    expect((await restarted.credentials.get()).identityId).toBe(identityId);
    expect(restarted.platform.opened).toEqual([]);
    expect(restarted.session.takeNotices()).toEqual([]);
  });

  test('sign-out removes the keychain entry, revokes the refresh token, opens the IdP logout page, returns to the app\'s signed-out page and echoes the local-data choice', async () => {
    const current = await app(dir);
    await current.session.restore();
    let signedOutPage = '';
    current.platform.onOpen = async (url) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      // This browser has no IdP session to end, so the IdP sends it straight back to the app's page.
      await page.goto(url);
      await page.waitForURL((landed) => landed.href.startsWith(new URL(url).searchParams.get('post_logout_redirect_uri')!));
      signedOutPage = await page.locator('body').innerText();
      await context.close();
    };
    const result = await current.session.signOut({ removeLocalData: true });
    await current.platform.browserSettled();

    expect(result).toMatchObject({ removeLocalData: true, revoked: true, user: { email: alice().username } });
    expect(current.session.view()).toEqual({ state: 'signedOut' });
    expect(await current.keychainEntries()).toEqual([]);
    const metadata = (await publicConfig()).serverMetadata();
    expect(result.logoutUrl?.startsWith(metadata.end_session_endpoint!)).toBe(true);
    expect(current.platform.opened).toEqual([result.logoutUrl]);
    // The IdP returned the browser to the app's own page on its loopback address, which then closed.
    const returnTo = new URL(result.logoutUrl!).searchParams.get('post_logout_redirect_uri')!;
    expect(returnTo).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(signedOutPage).toContain('You are signed out; you can close this tab.');
    expect(await portClosed(Number(new URL(returnTo).port))).toBe(true);

    const refused = await oidc.refreshTokenGrant(await publicConfig(), stored.refreshToken).catch((error: unknown) => error);
    expect(refused).toMatchObject({ error: 'invalid_grant' });
    await expect(current.credentials.get()).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });

    const next = await app(dir);
    expect(await next.session.restore()).toEqual({ state: 'signedOut' });
  });
});

test('two users on one machine, one after the other, get distinct identity IDs and distinct keychain entries', async () => {
  const dir = await newProfileDir(root);
  const first = await app(dir);
  await signIn(first, alice());
  const aliceIdentity = (await first.credentials.get()).identityId;
  const aliceEntries = (await first.keychainEntries()).map((entry) => entry.account);
  await first.session.signOut({ removeLocalData: false });

  const second = await app(dir);
  await signIn(second, bob());
  expect(second.session.view()).toMatchObject({ state: 'signedIn', profile: { email: bob().username } });
  const bobIdentity = (await second.credentials.get()).identityId;
  const bobEntries = (await second.keychainEntries()).map((entry) => entry.account);

  expect(bobIdentity).not.toBe(aliceIdentity);
  expect(aliceEntries).toHaveLength(1);
  expect(bobEntries).toHaveLength(1);
  expect(bobEntries[0]).not.toBe(aliceEntries[0]);
  expect(bobEntries[0]).toBe(`${cloud.issuer}|${second.session.user()!.sub}`);
});

test('two profile dirs (two devices) keep separate keychain entries, and the same user keeps one identity on both', async () => {
  const laptop = await app(await newProfileDir(root));
  const desktop = await app(await newProfileDir(root));
  await signIn(laptop, alice());
  await signIn(desktop, alice());
  expect(laptop.service).not.toBe(desktop.service);
  expect(await laptop.keychainEntries()).toHaveLength(1);
  expect(await desktop.keychainEntries()).toHaveLength(1);
  expect((await laptop.keychainEntries())[0]!.password).not.toBe((await desktop.keychainEntries())[0]!.password);
  expect((await laptop.credentials.get()).identityId).toBe((await desktop.credentials.get()).identityId);

  await laptop.session.signOut({ removeLocalData: false });
  expect(await laptop.keychainEntries()).toEqual([]);
  expect(await desktop.keychainEntries()).toHaveLength(1);
});

test('a refresh token the IdP no longer accepts (invalid_grant) ends the session cleanly, with the reason', async () => {
  const dir = await newProfileDir(root);
  const device = await app(dir);
  await signIn(device, alice());
  const { refreshToken } = JSON.parse((await device.keychainEntries())[0]!.password) as { refreshToken: string };
  // Revoked elsewhere (an admin, or a sign-out on the IdP's side).
  await oidc.tokenRevocation(await publicConfig(), refreshToken);

  const failure = await device.session.getIdToken({ forceRefresh: true }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(AppError);
  expect((failure as AppError).code).toBe('SESSION_EXPIRED');
  expect(device.session.view()).toEqual({ state: 'signedOut', reason: { code: 'SESSION_EXPIRED', message: (failure as AppError).message } });
  expect(await device.keychainEntries()).toEqual([]);
  await expect(device.credentials.get()).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
  expect(leaked(device.logLines, [refreshToken])).toEqual([]);
});
