// Test support: Chromium standing in for the user's system browser, a Platform whose openExternal
// hands URLs to it (returning at once, as a real browser launch does), and probes that look for
// secrets where none may be.
import { readdir, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import type { Platform } from '../../main/platform/platform';

/** Chromium standing in for the user's system browser. */
export const launchSystemBrowser = launchChromium;

export interface TestPlatform extends Platform {
  /** Every URL the app asked the system browser to open. */
  readonly opened: string[];
  /** What the "browser" does with each URL (set per test); runs in the background. */
  onOpen: (url: string) => Promise<void>;
  /** Resolves when everything the browser was asked to do has finished (rejects if it failed). */
  browserSettled(): Promise<void>;
  setOnline(online: boolean): void;
  /** Moves the app's clock (not the IdP's, nor Cognito's). */
  clockOffsetMs: number;
}

export function testPlatform(profileDir: string): TestPlatform {
  const tasks: Promise<void>[] = [];
  const onlineListeners = new Set<(online: boolean) => void>();
  let online = true;
  const platform: TestPlatform = {
    profileDir,
    opened: [],
    onOpen: async () => undefined,
    clockOffsetMs: 0,
    async openExternal(url) {
      platform.opened.push(url);
      const task = platform.onOpen(url);
      task.catch(() => undefined);
      tasks.push(task);
    },
    isOnline: () => online,
    now: () => Date.now() + platform.clockOffsetMs,
    onOnlineChange(listener) {
      onlineListeners.add(listener);
      return () => onlineListeners.delete(listener);
    },
    setOnline(value) {
      online = value;
      for (const listener of onlineListeners) listener(value);
    },
    async browserSettled() {
      await Promise.all(tasks.splice(0));
    },
  };
  return platform;
}

export interface Credentials {
  username: string;
  password: string;
}

/** A fresh browser profile (no IdP session), as on a machine where nobody signed in yet. */
export async function freshPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

/** Opens the authorization URL and logs in on the localcloud login page as a person would. */
export async function logIn(page: Page, authorizationUrl: string, user: Credentials): Promise<void> {
  await page.goto(authorizationUrl);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** The loopback redirect_uri named in an authorization URL. */
export function redirectUriOf(authorizationUrl: string): string {
  const redirectUri = new URL(authorizationUrl).searchParams.get('redirect_uri');
  if (!redirectUri) throw new Error(`no redirect_uri in ${authorizationUrl}`);
  return redirectUri;
}

/** Logs in and waits for the loopback page's answer; returns the page's text. */
export async function logInAndReturn(browser: Browser, authorizationUrl: string, user: Credentials): Promise<string> {
  const { context, page } = await freshPage(browser);
  try {
    await logIn(page, authorizationUrl, user);
    const redirectUri = redirectUriOf(authorizationUrl);
    await page.waitForURL((url) => url.href.startsWith(redirectUri));
    return await page.locator('body').innerText();
  } finally {
    await context.close();
  }
}

/** True when nothing listens on the port any more. */
export function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = request({ host: '127.0.0.1', port, path: '/callback', timeout: 2_000 }, (response) => {
      response.resume();
      resolve(false);
    });
    probe.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    probe.end();
  });
}

/** Every file under `dir`, with its bytes as latin1 text (so any byte sequence can be searched). */
export async function filesUnder(dir: string): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.push({ path, text: (await readFile(path)).toString('latin1') });
  }
  return out;
}

/** The secrets among `secrets` that occur in any of the texts. */
export function leaked(texts: string[], secrets: string[]): string[] {
  return secrets.filter((secret) => texts.some((text) => text.includes(secret)));
}

/**
 * Watches the app's own fetches to the IdP's token endpoint (openid-client uses the global fetch)
 * so a test knows the access token the app received and must never keep. Changes nothing.
 */
export function watchTokenResponses(tokenEndpointPrefix: string): { tokens: Set<string>; stop(): void } {
  const original = globalThis.fetch;
  const tokens = new Set<string>();
  globalThis.fetch = async (input, init) => {
    const response = await original(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith(tokenEndpointPrefix)) {
      const body = (await response.clone().json().catch(() => ({}))) as Record<string, unknown>;
      for (const name of ['access_token', 'refresh_token', 'id_token']) {
        if (typeof body[name] === 'string') tokens.add(body[name]);
      }
    }
    return response;
  };
  return { tokens, stop: () => void (globalThis.fetch = original) };
}

/**
 * Holds the app's next request to the token endpoint until `release()`, so a test can act while the
 * app is in the middle of exchanging a code. `reached` resolves when the request is being held.
 */
export function holdTokenRequest(tokenEndpointPrefix: string): { reached: Promise<void>; release(): void; stop(): void } {
  const original = globalThis.fetch;
  let reach!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  globalThis.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith(tokenEndpointPrefix)) {
      reach();
      await released;
    }
    return original(input, init);
  };
  return { reached, release, stop: () => void (globalThis.fetch = original) };
}
