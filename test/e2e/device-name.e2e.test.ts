// This device's name in the browser host's page: the header names the device ("This device: …", the
// computer's name at first); a click renames it in a dialog that refuses, as it is typed, a name the
// bridge would refuse; a long name is cut in the header and leaves Sign out in the window.
import AxeBuilder from '@axe-core/playwright';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { safeDeviceName } from '../../shared/device-name';
import { startE2eCloud, type E2eCloud } from '../support/e2e-cloud';
import { signInInPopup } from '../support/popup-sign-in';

let e2e: E2eCloud;
let page: Page;

beforeAll(async () => {
  e2e = await startE2eCloud('e2e-device-name-');
  const host = await e2e.startHost(join(e2e.scratch, 'device'));
  page = await (await e2e.browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  await page.goto(host.url);
  await signInInPopup(page, e2e.cloud.users[0]!);
});

afterAll(async () => {
  await e2e?.stop();
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
