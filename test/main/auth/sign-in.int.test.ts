// Sign-ins that must be refused, end to end: each ends with its code, writes no secret to the
// keychain, the profile dir or the log, and leaves no loopback port open.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../localcloud/start-local-cloud';
import { HS256_MESSAGE } from '../../../main/auth/id-token';
import { AppError, type ErrorCode } from '../../../shared/errors';
import type { CloudProfile } from '../../../shared/cloud-profile';
import {
  filesUnder,
  freshPage,
  holdTokenRequest,
  launchSystemBrowser,
  leaked,
  logIn,
  logInAndReturn,
  portClosed,
  redirectUriOf,
  watchTokenResponses,
} from '../../support/system-browser';
import { newProfileDir, profileFor, startTestApp, type TestApp } from '../../support/test-app';
import { failure } from '../../support/app-error';

let root: string;
let cloud: LocalCloud;
let browser: Browser;
const apps: TestApp[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sign-in-int-'));
  [cloud, browser] = await Promise.all([startLocalCloud({ inMemory: true, testClients: true }), launchSystemBrowser()]);
});

afterAll(async () => {
  for (const app of apps) app.close();
  await browser?.close();
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

const alice = () => cloud.users[0]!;

async function app(overrides: Partial<CloudProfile> = {}, options: { signInTimeoutMs?: number } = {}): Promise<TestApp> {
  const started = await startTestApp(await newProfileDir(root), profileFor(cloud, overrides), options);
  apps.push(started);
  return started;
}


/** Runs a sign-in that must fail with `code`; checks that nothing secret was kept and no port stays open. */
async function refusedSignIn(target: TestApp, code: ErrorCode, start: () => Promise<unknown> = () => target.session.signIn()): Promise<AppError> {
  const watch = watchTokenResponses(`${cloud.issuer}oauth/token`);
  let error: AppError;
  try {
    error = await failure(start());
    await target.platform.browserSettled();
  } finally {
    watch.stop();
  }
  expect(error.code).toBe(code);
  expect(error.message.length).toBeGreaterThan(20);
  expect(target.session.view()).toEqual({ state: 'signedOut' });
  expect(await target.keychainEntries()).toEqual([]);
  const files = await filesUnder(target.profileDir);
  expect(files.map((file) => basename(file.path)).filter((name) => name !== 'cognito-identity-ids.json')).toEqual(['profile-id']);
  expect(leaked([...files.map((file) => file.text), ...target.logLines], [...watch.tokens])).toEqual([]);
  for (const url of target.platform.opened) {
    expect(await portClosed(Number(new URL(redirectUriOf(url)).port))).toBe(true);
  }
  return error;
}

/** The browser logs in; returns a reader for the text of the page the loopback server answered with. */
function browserLogsIn(target: TestApp, openedUrl: (url: string) => string = (url) => url): () => string {
  let pageText = '';
  target.platform.onOpen = async (url) => {
    pageText = await logInAndReturn(browser, openedUrl(url), alice());
  };
  return () => pageText;
}

test('an answer carrying a state this app never issued is refused with SIGN_IN_STATE_MISMATCH on the tab, and does not end the sign-in', async () => {
  const target = await app();
  // As when a page starts an authorization request of its own that lands on the app's loopback server.
  let pageText = '';
  target.platform.onOpen = async (url) => {
    const forged = new URL(url);
    forged.searchParams.set('state', 'state-of-someone-else');
    pageText = await logInAndReturn(browser, forged.href, alice());
    // Still waiting for its own answer after the forged one: only the user's Cancel ends it.
    target.session.cancelSignIn();
  };
  await refusedSignIn(target, 'SIGN_IN_CANCELLED');
  expect(pageText).toContain('SIGN_IN_STATE_MISMATCH');
});

test('a local program sending wrong-state answers to the loopback port cannot cancel a sign-in in progress', async () => {
  const target = await app();
  const forgedStatuses: number[] = [];
  target.platform.onOpen = async (url) => {
    const forged = new URL(redirectUriOf(url));
    forged.searchParams.set('code', 'made-up');
    forged.searchParams.set('state', 'guessed');
    for (let attempt = 0; attempt < 3; attempt += 1) forgedStatuses.push((await fetch(forged)).status);
    await logInAndReturn(browser, url, alice());
  };
  await expect(target.session.signIn()).resolves.toMatchObject({ state: 'signedIn' });
  await target.platform.browserSettled();
  expect(forgedStatuses).toEqual([400, 400, 400]);
});

test('an answer without a code is refused with SIGN_IN_MISSING_CODE', async () => {
  const target = await app();
  let status = 0;
  target.platform.onOpen = async (url) => {
    // A local process answering first, with the right state but no code.
    const answer = new URL(redirectUriOf(url));
    answer.searchParams.set('state', new URL(url).searchParams.get('state')!);
    status = (await fetch(answer)).status;
  };
  await refusedSignIn(target, 'SIGN_IN_MISSING_CODE');
  expect(status).toBe(400);
});

test('an error from the IdP is reported with its words (prompt=none without an IdP session: login_required)', async () => {
  const target = await app();
  let pageText = '';
  target.platform.onOpen = async (url) => {
    const { context, page } = await freshPage(browser);
    try {
      await page.goto(url);
      await page.waitForURL((candidate) => candidate.href.startsWith(redirectUriOf(url)));
      pageText = await page.locator('body').innerText();
    } finally {
      await context.close();
    }
  };
  const error = await refusedSignIn(target, 'IDP_ERROR', () => target.session.signIn({ prompt: 'none' }));
  expect(error.message).toContain('login_required');
  expect(pageText).toContain('IDP_ERROR');
});

test('nobody finishing in the browser ends the sign-in with SIGN_IN_TIMEOUT', async () => {
  const target = await app({}, { signInTimeoutMs: 1_500 });
  await refusedSignIn(target, 'SIGN_IN_TIMEOUT');
  expect(target.platform.opened).toHaveLength(1);
});

test('cancelling from the app ends the sign-in with SIGN_IN_CANCELLED', async () => {
  const target = await app();
  target.platform.onOpen = async () => {
    expect(target.session.view()).toEqual({ state: 'signingIn' });
    target.session.cancelSignIn();
  };
  await refusedSignIn(target, 'SIGN_IN_CANCELLED');
});

test('only one sign-in at a time: a second one is refused with SIGN_IN_IN_PROGRESS', async () => {
  const target = await app();
  const first = target.session.signIn();
  first.catch(() => undefined);
  await expect.poll(() => target.platform.opened.length).toBe(1);
  expect((await failure(target.session.signIn())).code).toBe('SIGN_IN_IN_PROGRESS');
  await refusedSignIn(target, 'SIGN_IN_CANCELLED', async () => {
    target.session.cancelSignIn();
    return first;
  });
  expect(target.platform.opened).toHaveLength(1);
});

test('offline, a sign-in fails at once with OFFLINE and opens nothing', async () => {
  const target = await app();
  target.platform.setOnline(false);
  const started = Date.now();
  await refusedSignIn(target, 'OFFLINE');
  expect(Date.now() - started).toBeLessThan(500);
  expect(target.platform.opened).toEqual([]);
});

test('a replayed answer is refused: a copy during the sign-in gets SIGN_IN_CALLBACK_REPLAYED, later copies find the port closed', async () => {
  const target = await app();
  let callbackUrl = '';
  target.platform.onOpen = async (url) => {
    const { context, page } = await freshPage(browser);
    page.on('request', (request) => {
      if (request.url().startsWith(redirectUriOf(url))) callbackUrl = request.url();
    });
    try {
      await logIn(page, url, alice());
      await page.waitForURL((candidate) => candidate.href.startsWith(redirectUriOf(url)));
    } finally {
      await context.close();
    }
  };
  // Keep the app inside its code exchange while the copy arrives.
  const hold = holdTokenRequest(`${cloud.issuer}oauth/token`);
  let replay: Response;
  try {
    const signingIn = target.session.signIn();
    await hold.reached;
    // The browser's request event can reach the test after the app already took the answer.
    await expect.poll(() => callbackUrl).not.toBe('');
    replay = await fetch(callbackUrl);
    hold.release();
    await signingIn;
  } finally {
    hold.release();
    hold.stop();
  }
  await target.platform.browserSettled();
  expect(target.session.view()).toMatchObject({ state: 'signedIn' });
  expect(replay.status).toBe(409);
  expect(await replay.text()).toContain('SIGN_IN_CALLBACK_REPLAYED');
  await expect(fetch(callbackUrl)).rejects.toThrow();
});

test("an earlier sign-in's answer replayed into a new sign-in on the same fixed port is refused with SIGN_IN_STATE_MISMATCH, and never signs in", async () => {
  const port = await freePort();
  const earlier = await app({ redirectPort: port });
  let oldCallback = '';
  earlier.platform.onOpen = async (url) => {
    const { context, page } = await freshPage(browser);
    page.on('request', (request) => {
      if (request.url().startsWith(`http://127.0.0.1:${port}/callback`)) oldCallback = request.url();
    });
    try {
      await logIn(page, url, alice());
      await page.waitForURL((candidate) => candidate.href.startsWith(redirectUriOf(url)));
    } finally {
      await context.close();
    }
  };
  await earlier.session.signIn();
  await earlier.platform.browserSettled();
  expect(oldCallback).toContain('code=');
  expect(redirectUriOf(earlier.platform.opened[0]!)).toBe(`http://127.0.0.1:${port}/callback`);

  const target = await app({ redirectPort: port });
  let replayed = '';
  target.platform.onOpen = async () => {
    replayed = await (await fetch(oldCallback)).text();
    target.session.cancelSignIn();
  };
  await refusedSignIn(target, 'SIGN_IN_CANCELLED');
  expect(replayed).toContain('SIGN_IN_STATE_MISMATCH');
});

test('an HS256-signed ID token is refused before Cognito with ID_TOKEN_HS256 and the Auth0 setting to change', async () => {
  const target = await app({ clientId: cloud.testClients!.hs256.clientId });
  let pageText = '';
  target.platform.onOpen = async (url) => {
    pageText = await logInAndReturn(browser, url, alice());
  };
  const error = await refusedSignIn(target, 'ID_TOKEN_HS256');
  expect(error.message).toBe(HS256_MESSAGE);
  expect(pageText).toContain('ID_TOKEN_HS256');
  // Refused before Cognito: no identity was ever asked for.
  expect((await filesUnder(target.profileDir)).map((file) => basename(file.path))).toEqual(['profile-id']);
});

test('a token for an application the identity pool does not trust is refused with COGNITO_PROVIDER_NOT_REGISTERED, keeping nothing', async () => {
  const otherClientId = cloud.testClients!.other.clientId;
  const target = await app({ clientId: otherClientId });
  const page = browserLogsIn(target);
  const error = await refusedSignIn(target, 'COGNITO_PROVIDER_NOT_REGISTERED');
  expect(error.message).toContain(otherClientId);
  // The browser tab was not told "signed in": it shows the refusal.
  expect(page()).toContain('COGNITO_PROVIDER_NOT_REGISTERED');
});

test('signing out during a sign-in cancels it and signs out the user from before', async () => {
  const target = await app();
  browserLogsIn(target);
  await target.session.signIn();
  await target.platform.browserSettled();
  target.platform.onOpen = async () => undefined;
  const second = target.session.signIn();
  second.catch(() => undefined);
  await expect.poll(() => target.platform.opened.length).toBe(2);
  const result = await target.session.signOut({ removeLocalData: false });
  expect(result.user?.email).toBe(alice().username);
  expect((await failure(second)).code).toBe('SIGN_IN_CANCELLED');
  expect(target.session.view()).toEqual({ state: 'signedOut' });
  expect(await target.keychainEntries()).toEqual([]);
  expect(await portClosed(Number(new URL(redirectUriOf(target.platform.opened[1]!)).port))).toBe(true);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
