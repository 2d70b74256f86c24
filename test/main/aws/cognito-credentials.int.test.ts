// AWS credentials for the signed-in user from the Cognito emulator: one request however many ask,
// renewed before they expire, nothing fetched offline, and a named error for each misconfiguration.
// localcloud hands out 8-second credentials here.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../localcloud/start-local-cloud';
import { createCognitoCredentials, type CognitoCredentials, type CognitoCredentialsOptions } from '../../../main/aws/cognito-credentials';
import { IDENTITY_ID_FILE } from '../../../main/aws/identity-id-cache';
import { createLogger } from '../../../main/platform/log';
import { launchSystemBrowser, logInAndReturn } from '../../support/system-browser';
import { newProfileDir, profileFor, startTestApp, type TestApp } from '../../support/test-app';
import { failure } from '../../support/app-error';

/**
 * `promise`'s value if it settles without waiting for any I/O (a network answer cannot arrive
 * before the event loop's next check phase); throws otherwise. "At once" without a clock, which a
 * loaded machine would stretch.
 */
async function withoutIo<T>(promise: Promise<T>): Promise<T> {
  const waited = Symbol('waited for I/O');
  const first = await Promise.race([promise, new Promise<typeof waited>((resolve) => setImmediate(() => resolve(waited)))]);
  if (first === waited) throw new Error('it waited for I/O (a network round trip) instead of answering at once');
  return first as T;
}

let root: string;
let cloud: LocalCloud;
let browser: Browser;
let signedIn: TestApp;
const opened: CognitoCredentials[] = [];
const logLines: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cognito-credentials-int-'));
  [cloud, browser] = await Promise.all([startLocalCloud({ inMemory: true, credentialTtlSeconds: 8 }), launchSystemBrowser()]);
  signedIn = await startTestApp(await newProfileDir(root), profileFor(cloud));
  signedIn.platform.onOpen = async (url) => void (await logInAndReturn(browser, url, cloud.users[0]!));
  await signedIn.session.signIn();
  await signedIn.platform.browserSettled();
});

afterAll(async () => {
  for (const credentials of opened) credentials.close();
  signedIn?.close();
  await browser?.close();
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

/** A fresh credentials service (empty memory) for the signed-in session. */
function credentialsFor(overrides: Partial<CognitoCredentialsOptions> = {}): CognitoCredentials {
  const credentials = createCognitoCredentials({
    profile: signedIn.profile,
    platform: signedIn.platform,
    session: signedIn.session,
    log: createLogger({ write: (line) => logLines.push(line) }),
    ...overrides,
  });
  opened.push(credentials);
  return credentials;
}


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('many callers asking at once share one Cognito round trip', async () => {
  const credentials = credentialsFor();
  const all = await Promise.all(Array.from({ length: 8 }, () => credentials.get()));
  expect(new Set(all.map((each) => each.accessKeyId)).size).toBe(1);
  // Each round trip mints new keys, so a second service gets different ones.
  expect((await credentialsFor().get()).accessKeyId).not.toBe(all[0]!.accessKeyId);
});

test('credentials are renewed before they expire, and callers are not kept waiting for it', async () => {
  const credentials = credentialsFor({ marginSeconds: 6 });
  const first = await credentials.get();
  expect(await credentials.get()).toBe(first);
  await sleep(first.expiration.getTime() - 6_000 - Date.now() + 500);
  // Inside the margin: the current ones come back at once while new ones are fetched.
  expect(await withoutIo(credentials.get())).toBe(first);
  await expect.poll(async () => (await credentials.get()).accessKeyId).not.toBe(first.accessKeyId);
  const renewed = await credentials.get();
  expect(renewed.expiration.getTime()).toBeGreaterThan(first.expiration.getTime());
  expect(renewed.identityId).toBe(first.identityId);
});

test('offline, a call fails at once with OFFLINE; the identity ID is still known; credentials are fetched again when the network returns', async () => {
  const credentials = credentialsFor();
  const identityId = await credentials.identityId();
  signedIn.platform.setOnline(false);
  try {
    expect((await withoutIo(failure(credentials.get()))).code).toBe('OFFLINE');
    expect(await credentials.identityId()).toBe(identityId);
  } finally {
    signedIn.platform.setOnline(true);
  }
  // The retry started by the network coming back is the one a caller now joins: it answers fast.
  const afterReturn = Date.now();
  expect((await credentials.get()).identityId).toBe(identityId);
  expect(Date.now() - afterReturn).toBeLessThan(1_000);
  expect(logLines.some((line) => line.includes('network is back'))).toBe(true);
});

test('the identity ID is kept per (pool, issuer, sub) in the profile dir, so a user keeps one identity', async () => {
  const identityId = await credentialsFor().identityId();
  const file = JSON.parse(await readFile(join(signedIn.profileDir, IDENTITY_ID_FILE), 'utf8')) as Record<string, string>;
  const user = signedIn.session.user()!;
  expect(file).toEqual({ [JSON.stringify([cloud.identityPoolId, cloud.issuer, user.sub])]: identityId });
  expect((await credentialsFor().get()).identityId).toBe(identityId);
});

test('an identity pool that does not exist is COGNITO_POOL_NOT_FOUND, naming it', async () => {
  const missing = 'us-east-1:00000000-0000-4000-8000-000000000000';
  const error = await failure(credentialsFor({ profile: { ...signedIn.profile, identityPoolId: missing } }).get());
  expect(error.code).toBe('COGNITO_POOL_NOT_FOUND');
  expect(error.message).toContain(missing);
});

test('Cognito unreachable is NETWORK_DOWN, naming the endpoint', async () => {
  const error = await failure(credentialsFor({ profile: { ...signedIn.profile, cognitoEndpoint: 'http://127.0.0.1:9' } }).get());
  expect(error.code).toBe('NETWORK_DOWN');
  expect(error.message).toContain('http://127.0.0.1:9');
});

test('signed out, credentials are NOT_SIGNED_IN and the ones in memory are dropped', async () => {
  const app = await startTestApp(await newProfileDir(root), profileFor(cloud));
  try {
    app.platform.onOpen = async (url) => void (await logInAndReturn(browser, url, cloud.users[1]!));
    await app.session.signIn();
    await app.platform.browserSettled();
    expect((await app.credentials.get()).accessKeyId).toMatch(/^ASIA/);
    await app.session.signOut({ removeLocalData: false });
    expect((await failure(app.credentials.get())).code).toBe('NOT_SIGNED_IN');
  } finally {
    app.close();
  }
});

test('a provider bound to an identity hands out only its credentials: NOT_SIGNED_IN signed out, IDENTITY_CHANGED once another user signs in', async () => {
  const app = await startTestApp(await newProfileDir(root), profileFor(cloud));
  let user = cloud.users[0]!;
  // Authorization URLs only: the logout page the sign-out opens is left alone.
  app.platform.onOpen = async (url) => {
    if (new URL(url).searchParams.has('redirect_uri')) await logInAndReturn(browser, url, user);
  };
  try {
    await app.session.signIn();
    await app.platform.browserSettled();
    const first = await app.credentials.identityId();
    const boundToFirst = app.credentials.providerFor(first);
    // (This cloud's credentials last 8 seconds, inside the renewal margin: each call gets new keys.)
    expect((await boundToFirst()).accessKeyId).toMatch(/^ASIA/);

    await app.session.signOut({ removeLocalData: false });
    expect((await failure(boundToFirst())).code).toBe('NOT_SIGNED_IN');

    user = cloud.users[1]!;
    await app.session.signIn();
    await app.platform.browserSettled();
    const second = await app.credentials.identityId();
    expect(second).not.toBe(first);
    const changed = await failure(boundToFirst());
    expect(changed.code).toBe('IDENTITY_CHANGED');
    expect(changed.message).toMatch(/Nothing is lost/);
    expect((await app.credentials.providerFor(second)()).accessKeyId).toMatch(/^ASIA/);
  } finally {
    app.close();
  }
});
