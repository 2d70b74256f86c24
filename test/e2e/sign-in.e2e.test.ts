import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startE2eCloud, type E2eCloud } from '../support/e2e-cloud';
import { electronBinary } from '../support/electron-binary';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';

let e2e: E2eCloud;
let host: WebHostProcess | undefined;
let profileDir: string;

beforeAll(async () => {
  e2e = await startE2eCloud('e2e-sign-in-');
  profileDir = join(e2e.scratch, 'profile');
});

afterAll(async () => {
  await e2e?.stop();
});

async function openApp(): Promise<Page> {
  host = await e2e.startHost(profileDir);
  const page = await e2e.browser.newPage();
  await page.goto(host.url);
  return page;
}

/** The user's side of sign-in: the app opens the IdP in a new tab, the user logs in there. */
async function logInInPopup(page: Page, password: string) {
  const popup = page.context().waitForEvent('page');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const idp = await popup;
  await idp.getByLabel('Username').fill(e2e.cloud.users[0]!.username);
  await idp.getByLabel('Password').fill(password);
  await idp.getByRole('button', { name: 'Log in' }).click();
  return idp;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// Where the fetch itself fails (a mirror that is down), test/scripts/electron-fetch.int.test.ts.
describe.skipIf(electronBinary() !== undefined)('npm start where no Electron binary is installed and fetching it is off', () => {
  test('says so in one line and serves the app through the browser host', async () => {
    const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
    const started = await startWebHostProcess(['--cloud', e2e.cloudFile, '--profile-dir', join(e2e.scratch, 'npm-start')], 'start', env);
    try {
      expect(started.preamble).toEqual([
        expect.stringMatching(/^Electron [\d.]+ is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD=1 says not to fetch it, so the app starts in the browser host/),
      ]);
      const page = await e2e.browser.newPage();
      await page.goto(started.url);
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      await page.close();
    } finally {
      await started.stop();
    }
  });
});

describe('signing in through the browser host', () => {
  test('a wrong password is refused on the login page and the app stays signed out', async () => {
    const page = await openApp();
    const idp = await logInInPopup(page, 'not-the-password');
    await expect(idp.getByRole('alert').textContent()).resolves.toContain('Wrong username or password.');
    await idp.close();
    await page.getByRole('button', { name: 'Cancel sign-in' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await page.close();
    await host!.stop();
  });

  test('signing in shows the email; the session survives a restart of the app without a browser', async () => {
    let page = await openApp();
    const idp = await logInInPopup(page, e2e.cloud.users[0]!.password);
    await idp.getByText('You can close this tab').waitFor();
    await page.getByText(e2e.cloud.users[0]!.username).waitFor();
    await expect(page.getByRole('button', { name: 'Sign out' }).isVisible()).resolves.toBe(true);
    // The profile picture is allowed by the page's CSP and actually shows.
    await page.waitForFunction(() => (document.querySelector('img') as HTMLImageElement | null)?.complete === true);
    await expect(page.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).resolves.toBeGreaterThan(0);
    await page.close();
    await host!.stop();

    page = await openApp();
    await page.getByText(e2e.cloud.users[0]!.username).waitFor();
    await expect(page.getByRole('button', { name: 'Sign in', exact: true }).count()).resolves.toBe(0);

    const secrets = [e2e.cloud.users[0]!.password, 'eyJ', 'ASIA'];
    for (const file of filesUnder(profileDir)) {
      const text = readFileSync(file, 'utf8');
      for (const secret of secrets) expect(text, file).not.toContain(secret);
    }
    // The terminal shows the page's URL with its random token, which may hold "eyJ" by chance: look for a JWT's shape.
    expect(host!.output()).not.toMatch(/eyJ[\w-]*\.[\w-]+\.[\w-]*/);
    expect(host!.output()).not.toContain('ASIA');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('dialog', { name: 'Sign out' }).getByRole('button', { name: 'Sign out and keep data' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await page.close();
    await host!.stop();

    page = await openApp();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await page.close();

    // The log file the host kept through sign-in, refresh and sign-out names no secret.
    const log = readFileSync(join(profileDir, 'logs', 'main.log'), 'utf8');
    expect(log.split('\n').filter(Boolean).length).toBeGreaterThan(0);
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|refresh_token=|"idToken"|"refreshToken"/);
  });
});
