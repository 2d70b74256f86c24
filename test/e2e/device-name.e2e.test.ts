// This device's name in the browser host's page: the header names the device ("This device: …", the
// computer's name at first); a click renames it in a dialog that refuses, as it is typed, a name the
// bridge would refuse; a long name is cut in the header and leaves Sign out in the window.
import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../localcloud/start-local-cloud';
import { safeDeviceName } from '../../shared/device-name';
import { launchChromium } from '../support/chromium';
import { signInInPopup } from '../support/popup-sign-in';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';

let cloud: LocalCloud;
let browser: Browser;
let host: WebHostProcess;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'e2e-device-name-'));

beforeAll(async () => {
  cloud = await startLocalCloud({ inMemory: true });
  const { users: _users, ...profile } = cloud.describe();
  writeFileSync(join(scratch, 'cloud.json'), JSON.stringify(profile));
  browser = await launchChromium();
  host = await startWebHostProcess(['--cloud', join(scratch, 'cloud.json'), '--profile-dir', join(scratch, 'device')]);
  page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  await page.goto(host.url);
  await signInInPopup(page, cloud.users[0]!);
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
  await cloud?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

test('the header names this device by the computer’s name; renamed, it says the new one, a long one cut, Sign out in view', async () => {
  const device = page.getByRole('button', { name: /^This device: / });
  await expect.poll(() => device.textContent(), { timeout: 30_000 }).toBe(`This device: ${safeDeviceName(hostname())}`);

  await device.click();
  const dialog = page.getByRole('dialog', { name: 'Rename this device' });
  const field = dialog.getByRole('textbox', { name: 'Device name' });
  await expect(field.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
  const serious = (await new AxeBuilder({ page }).analyze()).violations.filter((violation) => ['serious', 'critical'].includes(violation.impact ?? ''));
  expect(serious.map((violation) => violation.id)).toEqual([]);

  // A direction control is refused as it is typed, with the bridge's sentence; Save waits.
  await field.fill('evil\u202Ename');
  await expect(dialog.getByText(/cannot hold invisible direction controls/).count()).resolves.toBe(1);
  await expect(dialog.getByRole('button', { name: 'Save' }).isDisabled()).resolves.toBe(true);

  const long = 'The shared workstation by the window on the fourth floor';
  await field.fill(long);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await expect(device.textContent()).resolves.toBe(`This device: ${long}`);
  await expect(device.getAttribute('title')).resolves.toContain(long);

  for (const size of [{ width: 1280, height: 720 }, { width: 800, height: 600 }]) {
    await page.setViewportSize(size);
    const signOut = (await page.getByRole('button', { name: 'Sign out', exact: true }).boundingBox())!;
    const named = (await device.boundingBox())!;
    expect(signOut.x + signOut.width, `Sign out at ${size.width}`).toBeLessThanOrEqual(size.width);
    expect(named.x + named.width, `the name left of Sign out at ${size.width}`).toBeLessThanOrEqual(signOut.x);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(size.width);
  }
});
