// The loopback redirect server as the browser and a hostile local page would meet it: it takes one
// answer with the right state and a code, refuses everything else, and never leaves its port open.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { MAX_BAD_ANSWERS, startLoopbackServer, startSignedOutPage, type LoopbackServer } from '../../../main/auth/loopback-server';
import { AppError } from '../../../shared/errors';
import { portClosed } from '../../support/system-browser';

const state = 'expected-state-0123456789';
const opened: LoopbackServer[] = [];

async function start(options: Partial<Parameters<typeof startLoopbackServer>[0]> = {}): Promise<LoopbackServer> {
  const server = await startLoopbackServer({ expectedState: state, ...options });
  opened.push(server);
  return server;
}

afterEach(async () => {
  for (const server of opened.splice(0)) await server.close();
});

async function get(url: string, method = 'GET'): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method });
  return { status: response.status, text: await response.text() };
}


async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

test('listens on 127.0.0.1 on a port the OS picks, and names its redirect URI', async () => {
  const server = await start();
  expect(server.redirectUri).toBe(`http://127.0.0.1:${server.port}/callback`);
  expect(server.port).toBeGreaterThan(0);
});

test('a valid answer gives the full callback URL, and the browser tab is told to go back to the app', async () => {
  const server = await start();
  const browser = get(`${server.redirectUri}?code=the-code&state=${state}&iss=x`);
  const url = await server.callback;
  expect(url.href).toBe(`${server.redirectUri}?code=the-code&state=${state}&iss=x`);
  await server.finish();
  const page = await browser;
  expect(page.status).toBe(200);
  expect(page.text).toContain('You can close this tab and return to the app');
  expect(await portClosed(server.port)).toBe(true);
});

test('the tab the browser is left on looks like the app, offers to close itself, and runs only its own script', async () => {
  const server = await start();
  const response = fetch(`${server.redirectUri}?code=the-code&state=${state}`);
  await server.callback;
  await server.finish();
  const page = await response;
  const html = await page.text();
  expect(html).toContain('Auth0 Cognito Desktop');
  expect(html).toContain('<button type="button" id="close">Close this tab</button>');
  expect(html).toContain('prefers-color-scheme:dark');
  // One nonce per page: the inline style and script run, nothing else can.
  const nonce = /script-src 'nonce-([^']+)'/.exec(page.headers.get('content-security-policy') ?? '')?.[1];
  expect(nonce).toBeDefined();
  expect(html).toContain(`<script nonce="${nonce}">`);
  expect(html.match(/<script/g)).toHaveLength(1);
});

test('a failure after the answer is shown on the waiting tab with its sentence and code', async () => {
  const server = await start();
  const browser = get(`${server.redirectUri}?code=c&state=${state}`);
  await server.callback;
  await server.finish({ code: 'ID_TOKEN_HS256', message: 'Auth0 signs this application\'s ID tokens with HS256' });
  const page = await browser;
  expect(page.status).toBe(400);
  expect(page.text).toContain('ID_TOKEN_HS256');
  expect(page.text).toContain('signs this application&#39;s ID tokens with HS256');
});

describe('refusals', () => {
  test('a wrong state is refused with a page but does not end the sign-in: the right answer after it is still taken', async () => {
    const server = await start();
    const page = await get(`${server.redirectUri}?code=c&state=forged`);
    expect(page.status).toBe(400);
    expect(page.text).toContain('SIGN_IN_STATE_MISMATCH');
    const missing = await get(`${server.redirectUri}?code=c`);
    expect(missing.status).toBe(400);
    const browser = get(`${server.redirectUri}?code=the-code&state=${state}`);
    expect((await server.callback).searchParams.get('code')).toBe('the-code');
    await server.finish();
    expect((await browser).status).toBe(200);
  });

  test('a wrong state does not cancel the wait: the sign-in still ends only at its timeout', async () => {
    const server = await start({ timeoutMs: 300 });
    expect((await get(`${server.redirectUri}?code=c&state=forged`)).status).toBe(400);
    expect((await rejection(server.callback)).code).toBe('SIGN_IN_TIMEOUT');
    expect(await portClosed(server.port)).toBe(true);
  });

  test(`more than ${MAX_BAD_ANSWERS} wrong states end the sign-in with SIGN_IN_STATE_MISMATCH and close the port`, async () => {
    const server = await start();
    for (let attempt = 0; attempt < MAX_BAD_ANSWERS; attempt += 1) {
      expect((await get(`${server.redirectUri}?code=c&state=guess-${attempt}`)).status).toBe(400);
    }
    const last = await get(`${server.redirectUri}?code=c&state=one-too-many`);
    expect(last.status).toBe(400);
    const error = await rejection(server.callback);
    expect(error.code).toBe('SIGN_IN_STATE_MISMATCH');
    expect(error.message).toContain('another program on this computer');
    expect(await portClosed(server.port)).toBe(true);
  });

  test('a missing code is refused with SIGN_IN_MISSING_CODE', async () => {
    const server = await start();
    const page = await get(`${server.redirectUri}?state=${state}`);
    expect(page.status).toBe(400);
    expect((await rejection(server.callback)).code).toBe('SIGN_IN_MISSING_CODE');
    expect(await portClosed(server.port)).toBe(true);
  });

  test('an error from the IdP is reported with its description', async () => {
    const server = await start();
    const page = await get(`${server.redirectUri}?error=access_denied&error_description=User%20is%20blocked&state=${state}`);
    expect(page.status).toBe(400);
    expect(page.text).toContain('User is blocked');
    const error = await rejection(server.callback);
    expect(error.code).toBe('SIGN_IN_DENIED');
    expect(error.message).toContain('User is blocked');
    expect(await portClosed(server.port)).toBe(true);
  });

  test('a replayed answer is refused and does not disturb the sign-in in progress', async () => {
    const server = await start();
    const url = `${server.redirectUri}?code=c&state=${state}`;
    const first = get(url);
    const received = await server.callback;
    const replay = await get(url);
    expect(replay.status).toBe(409);
    expect(replay.text).toContain('SIGN_IN_CALLBACK_REPLAYED');
    await server.finish();
    expect((await first).status).toBe(200);
    expect(received.searchParams.get('code')).toBe('c');
    expect(await portClosed(server.port)).toBe(true);
  });

  test('only the callback path is served, and only to GET', async () => {
    const server = await start();
    const base = `http://127.0.0.1:${server.port}`;
    expect((await get(`${base}/`)).status).toBe(404);
    expect((await get(`${base}/favicon.ico`)).status).toBe(404);
    expect((await get(`${base}/callback/../other?code=c&state=${state}`)).status).toBe(404);
    expect((await get(`${server.redirectUri}?code=c&state=${state}`, 'POST')).status).toBe(405);
    // None of those ended or answered the sign-in.
    const page = get(`${server.redirectUri}?code=c&state=${state}`);
    await server.callback;
    await server.finish();
    expect((await page).status).toBe(200);
  });

  test('nobody coming back within the timeout ends the sign-in with SIGN_IN_TIMEOUT and closes the port', async () => {
    const server = await start({ timeoutMs: 200 });
    expect((await rejection(server.callback)).code).toBe('SIGN_IN_TIMEOUT');
    expect(await portClosed(server.port)).toBe(true);
  });

  test('cancelling ends the sign-in with SIGN_IN_CANCELLED and closes the port', async () => {
    const abort = new AbortController();
    const server = await start({ signal: abort.signal });
    abort.abort();
    expect((await rejection(server.callback)).code).toBe('SIGN_IN_CANCELLED');
    expect(await portClosed(server.port)).toBe(true);
  });

  test('a fixed port that is taken is REDIRECT_PORT_IN_USE, naming the port and the Auth0 setting', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as AddressInfo;
    try {
      const error = await rejection(start({ port }));
      expect(error.code).toBe('REDIRECT_PORT_IN_USE');
      expect(error.message).toContain(String(port));
      expect(error.message).toContain('Allowed Callback URLs');
    } finally {
      squatter.close();
    }
  });

  test('a fixed port that is free is used as given', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const server = await start({ port });
    expect(server.redirectUri).toBe(`http://127.0.0.1:${port}/callback`);
  });
});

describe('the signed-out page the IdP logout returns to', () => {
  test('says the user is signed out at the root of a loopback address, then closes its port', async () => {
    const page = await startSignedOutPage();
    expect(page.returnTo).toBe(`http://127.0.0.1:${page.port}/`);
    expect((await get(`http://127.0.0.1:${page.port}/favicon.ico`)).status).toBe(404);
    const shown = await get(page.returnTo);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('You are signed out; you can close this tab.');
    expect(await portClosed(page.port)).toBe(true);
  });

  test('closes its port when nobody comes back within the timeout', async () => {
    const page = await startSignedOutPage({ timeoutMs: 100 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await portClosed(page.port)).toBe(true);
  });
});
