// The session across restarts and token lifetimes: restored without a browser, the ID token renewed
// before it runs out or when Cognito says it has, the refresh token rotated in the keychain.
// localcloud issues 10-second ID tokens here, and Cognito's clock can be moved.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../localcloud/start-local-cloud';
import { readIdToken } from '../../../main/auth/id-token';
import { launchSystemBrowser, logInAndReturn } from '../../support/system-browser';
import { newProfileDir, profileFor, startTestApp, type TestApp } from '../../support/test-app';

const ID_TOKEN_TTL_SECONDS = 10;
const REFRESH_MARGIN_SECONDS = 4;

let root: string;
let cloud: LocalCloud;
let browser: Browser;
let cognitoClockOffsetMs = 0;
let dir: string;
const apps: TestApp[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'session-refresh-int-'));
  [cloud, browser] = await Promise.all([
    startLocalCloud({ inMemory: true, idTokenTtlSeconds: ID_TOKEN_TTL_SECONDS, now: () => Date.now() + cognitoClockOffsetMs }),
    launchSystemBrowser(),
  ]);
  dir = await newProfileDir(root);
});

afterAll(async () => {
  for (const app of apps) app.close();
  await browser?.close();
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

/** A new app instance on the same profile dir and keychain: a restart. */
async function restart(): Promise<TestApp> {
  const app = await startTestApp(dir, profileFor(cloud), { refreshMarginSeconds: REFRESH_MARGIN_SECONDS });
  apps.push(app);
  return app;
}

async function storedEntry(app: TestApp): Promise<{ refreshToken: string; idToken: string }> {
  const entries = await app.keychainEntries();
  expect(entries).toHaveLength(1);
  return JSON.parse(entries[0]!.password) as { refreshToken: string; idToken: string };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function untilSecondsLeft(idToken: string, seconds: number): Promise<void> {
  const { exp } = readIdToken(idToken).claims;
  await sleep(Math.max(0, (exp - seconds) * 1000 - Date.now()));
}

test('restarted, the user is signed in without a browser; near expiry the ID token is refreshed transparently and the refresh token rotated', async () => {
  const first = await restart();
  first.platform.onOpen = async (url) => void (await logInAndReturn(browser, url, cloud.users[0]!));
  await first.session.signIn();
  await first.platform.browserSettled();
  const before = await storedEntry(first);
  first.close();

  const app = await restart();
  expect(await app.session.restore()).toMatchObject({ state: 'signedIn' });
  expect(app.platform.opened).toEqual([]);
  // Plenty of time left: the stored token is used as it is.
  expect(await app.session.getIdToken()).toBe(before.idToken);

  await untilSecondsLeft(before.idToken, REFRESH_MARGIN_SECONDS - 1);
  const credentials = await app.credentials.get();
  expect(credentials.identityId).toMatch(/^us-east-1:/);

  const after = await storedEntry(app);
  expect(after.idToken).not.toBe(before.idToken);
  expect(after.refreshToken).not.toBe(before.refreshToken);
  expect(await app.session.getIdToken()).toBe(after.idToken);
  expect(readIdToken(after.idToken).claims.sub).toBe(readIdToken(before.idToken).claims.sub);
  expect(app.platform.opened).toEqual([]);
});

test('when Cognito says the ID token has expired, it is refreshed once and the credentials come back', async () => {
  const app = await restart();
  await app.session.restore();
  const before = await storedEntry(app);
  // The token still looks fresh to the app, but Cognito's clock is past its expiry plus 5 minutes' skew;
  // a token issued now is still good by Cognito's clock.
  const { exp } = readIdToken(before.idToken).claims;
  await untilSecondsLeft(before.idToken, ID_TOKEN_TTL_SECONDS - 3);
  cognitoClockOffsetMs = (exp + 300 + 1.5) * 1000 - Date.now();
  try {
    const credentials = await app.credentials.get();
    expect(credentials.identityId).toMatch(/^us-east-1:/);
  } finally {
    cognitoClockOffsetMs = 0;
  }
  expect(app.logLines.some((line) => line.includes('Cognito says the ID token expired'))).toBe(true);
  const after = await storedEntry(app);
  expect(after.idToken).not.toBe(before.idToken);
  expect(after.refreshToken).not.toBe(before.refreshToken);
});

test("when Cognito still says expired after a refresh, the computer's clock is blamed: CLOCK_SKEW", async () => {
  const app = await restart();
  await app.session.restore();
  cognitoClockOffsetMs = 30 * 60_000;
  try {
    await expect(app.credentials.get()).rejects.toMatchObject({ code: 'CLOCK_SKEW', message: expect.stringMatching(/clock/) });
  } finally {
    cognitoClockOffsetMs = 0;
  }
  // The session itself is fine: the next call with a sane clock works.
  expect((await app.credentials.get()).identityId).toMatch(/^us-east-1:/);
});
