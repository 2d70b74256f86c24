// The screens stay readable whatever the data and the network say, clicked through the browser
// host in Chromium: a long error, a 128-character dataset name, bidi controls in a key, an empty
// account, a page opened without its token. Two devices of one demo user: A on the local cloud,
// B on the same cloud with DynamoDB unreachable (its sync fails with NETWORK_DOWN every time).
// Each screen is checked with axe in light and dark and photographed at 1280×720 and 800×600
// under test-results/screenshots/readable/ for a person to look at.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkScreen } from '../support/check-screen';
import { signInCloudUser } from '../support/cloud-user';
import { startE2eCloud, type E2eCloud } from '../support/e2e-cloud';
import { importRecords } from '../support/import-records';
import { signInInPopup } from '../support/popup-sign-in';
import { openSyncDevice, type SyncDevice } from '../support/sync-device';
import type { WebHostProcess } from '../support/web-host-process';
import { readsLeftToRight } from '../support/reads-left-to-right';

const SCREENSHOTS = join(import.meta.dirname, '../../test-results/screenshots/readable');
const SIZES = [
  { width: 1280, height: 720 },
  { width: 800, height: 600 },
] as const;
/** The longest name the app accepts (1–128 of A-Z a-z 0-9 _ . : -). */
const LONG_NAME = 'Quarterly.report_for-the:northern-region.'.repeat(4).slice(0, 128);
const RLO = '\u202E';
const BIDI_KEY = `${RLO}reversed-key`;

let e2e: E2eCloud;
const devices: SyncDevice[] = [];

beforeAll(async () => {
  e2e = await startE2eCloud('e2e-readable-');
  // Port 9 (discard) refuses connections here: every DynamoDB call fails as when the network is down.
  writeFileSync(join(e2e.scratch, 'no-dynamodb.json'), JSON.stringify({ ...e2e.profile, dynamodbEndpoint: 'http://127.0.0.1:9' }));
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  for (const device of devices) device.close();
  await e2e?.stop();
});

async function openHost(name: string, cloudFile: string): Promise<{ host: WebHostProcess; page: Page }> {
  const host = await e2e.startHost(join(e2e.scratch, name), join(e2e.scratch, cloudFile));
  const page = await (await e2e.browser.newContext({ viewport: SIZES[0] })).newPage();
  await page.goto(host.url);
  return { host, page };
}

const status = (page: Page) => page.getByRole('status');
const syncNowButton = (page: Page) => page.getByRole('button', { name: 'Sync now' });

/** axe in light and dark, and a screenshot of each, at both window sizes. */
const SCREEN_CHECK = { dir: SCREENSHOTS, sizes: SIZES };

/** The element's box lies inside the window, whole. */
async function expectInsideWindow(page: Page, locator: Locator, what: string): Promise<void> {
  const box = (await locator.boundingBox())!;
  const window = page.viewportSize()!;
  expect(box, what).not.toBeNull();
  expect(box.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box.y, `${what}: top edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what}: right edge at ${window.width}x${window.height}`).toBeLessThanOrEqual(window.width + 0.5);
  expect(box.y + box.height, `${what}: bottom edge at ${window.width}x${window.height}`).toBeLessThanOrEqual(window.height + 0.5);
}

/** `inner`'s box lies inside `outer`'s. */
async function expectWithin(inner: Locator, outer: Locator, what: string): Promise<void> {
  const [box, around] = [(await inner.boundingBox())!, (await outer.boundingBox())!];
  expect(box.x, `${what}: left`).toBeGreaterThanOrEqual(around.x - 0.5);
  expect(box.y, `${what}: top`).toBeGreaterThanOrEqual(around.y - 0.5);
  expect(box.x + box.width, `${what}: right`).toBeLessThanOrEqual(around.x + around.width + 0.5);
  expect(box.y + box.height, `${what}: bottom`).toBeLessThanOrEqual(around.y + around.height + 0.5);
}

/** Neither the page nor anything in it is wider than the window. */
async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth }));
  expect(widths.page, `${what}: page width`).toBeLessThanOrEqual(widths.window);
}

/** Lines an element's box is tall, in its own line height (which must be set, not "normal"). */
function lines(locator: Locator): Promise<number> {
  return locator.evaluate((element) => Math.round(element.getBoundingClientRect().height / parseFloat(getComputedStyle(element).lineHeight)));
}

/** Lines the element's text is laid out on. */
function textLines(locator: Locator): Promise<number> {
  return locator.evaluate((element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
  });
}

async function createDataset(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New dataset' }).click();
  await page.getByRole('textbox', { name: 'Dataset name' }).fill(name);
  await page.getByRole('button', { name: 'Create' }).click();
}

async function saveRecord(page: Page, key: string, value: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Key', exact: true }).fill(key);
  await page.getByRole('textbox', { name: 'Value', exact: true }).fill(value);
  await page.getByRole('button', { name: 'Save' }).click();
}

describe('device A on the local cloud', () => {
  let page: Page;
  let host: WebHostProcess;

  test('a page opened without its token says why, and does not say "Loading…" under it forever', async () => {
    ({ host, page } = await openHost('device-a', 'cloud.json'));
    const bare = await (await e2e.browser.newContext({ viewport: SIZES[0] })).newPage();
    await bare.goto(new URL(host.url).origin);
    await bare.getByText('This link is incomplete').waitFor();
    await expect.poll(() => bare.getByText('Loading…').count()).toBe(0);
    await checkScreen(bare, 'missing-token', SCREEN_CHECK);
    await bare.context().close();
  });

  test('an empty account says Synced without "Last sync: never"; Sync now answers "Up to date" for a moment, politely', async () => {
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await checkScreen(page, 'signed-out', SCREEN_CHECK);
    await signInInPopup(page, e2e.cloud.users[0]!);
    await expect.poll(() => status(page).textContent(), { timeout: 30_000 }).toBe('Synced');
    const bar = page.getByRole('contentinfo');
    await expect(bar.textContent()).resolves.not.toMatch(/never/i);

    await syncNowButton(page).click();
    const feedback = bar.getByText('Up to date');
    await feedback.waitFor({ timeout: 30_000 });
    await expect(feedback.evaluate((element) => element.closest('[aria-live]')?.getAttribute('aria-live'))).resolves.toBe('polite');
    await expect(status(page).textContent()).resolves.toBe('Synced');
    await feedback.waitFor({ state: 'detached', timeout: 10_000 });
    await expect(bar.textContent()).resolves.not.toMatch(/never/i);
  });

  test('the list shows the same last sync time as the status bar after a sync that changed nothing', async () => {
    await createDataset(page, 'Times');
    await page.getByRole('heading', { name: 'Times' }).waitFor();
    await saveRecord(page, 'a', '1');
    await page.getByRole('button', { name: 'Back to datasets' }).click();
    await expect.poll(() => status(page).textContent(), { timeout: 30_000 }).toBe('Synced');
    // A second sync changes nothing: only the times move.
    await page.waitForTimeout(1100);
    await syncNowButton(page).click();
    await page.getByRole('contentinfo').getByText('Up to date').waitFor({ timeout: 30_000 });
    const fromBar = async () => (await page.getByRole('contentinfo').getByText(/^Last sync: /).textContent())!.replace('Last sync: ', '');
    const fromList = () => page.getByRole('row').filter({ hasText: 'Times' }).getByRole('cell').nth(5).textContent();
    await expect.poll(async () => (await fromList()) === (await fromBar()) || `${await fromList()} ≠ ${await fromBar()}`).toBe(true);
  });

  test('the records table scrolls inside the window and the page does not scroll with it', async () => {
    await createDataset(page, 'Many');
    const records = Object.fromEntries(Array.from({ length: 300 }, (_, index) => [`item-${String(index).padStart(3, '0')}`, `value ${index}`]));
    await importRecords(page, 'Many', records);
    const table = page.getByLabel('Records of Many');
    await table.getByText('value 0', { exact: true }).waitFor({ timeout: 30_000 });
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await table.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
      await table.getByText('value 299', { exact: true }).waitFor();
      const scrolled = await page.evaluate(() => ({
        page: document.scrollingElement!.scrollHeight - document.scrollingElement!.clientHeight,
        content: [...document.querySelectorAll('main')].map((main) => main.scrollHeight - main.clientHeight),
      }));
      expect(scrolled.page, `the page scrolls at ${size.width}x${size.height}`).toBeLessThanOrEqual(0);
      expect(scrolled.content, `the content scrolls at ${size.width}x${size.height}`).toEqual([0]);
      await expectWithin(table, page.getByRole('region', { name: 'Many', exact: true }), `the records table in its panel at ${size.width}`);
      await expectInsideWindow(page, syncNowButton(page), 'Sync now');
    }
    await page.setViewportSize(SIZES[0]);
  });

  test('a conflict found by a background sync waits behind a notice; opened by the person, a bidi override in its key reorders nothing around it', async () => {
    const other = await openSyncDevice(await signInCloudUser(e2e.cloud, e2e.scratch, 0), e2e.scratch);
    devices.push(other);
    await page.getByRole('button', { name: 'Back to datasets' }).click();
    await createDataset(page, 'Bidi');
    await saveRecord(page, BIDI_KEY, 'first');
    await syncNowButton(page).click();
    await expect.poll(() => status(page).textContent(), { timeout: 30_000 }).toBe('Synced');

    // A changes the key offline; the other device changes it in the cloud meanwhile.
    await page.getByRole('checkbox', { name: 'Work offline' }).check();
    await expect.poll(() => status(page).textContent()).toMatch(/^Offline/);
    await saveRecord(page, BIDI_KEY, 'mine, written offline');
    await expect.poll(() => status(page).textContent()).toBe('Offline — 1 change pending');
    await other.engine.syncAll();
    other.store.put(other.identityId, 'Bidi', BIDI_KEY, 'theirs, from the other device');
    await other.engine.syncAll();

    // Back online, the sync that runs by itself finds the conflict: it says so, it does not interrupt.
    await page.getByRole('checkbox', { name: 'Work offline' }).uncheck();
    await expect.poll(() => status(page).textContent(), { timeout: 30_000 }).toBe('1 conflict to resolve');
    await page.waitForTimeout(1500);
    await expect(page.getByRole('dialog', { name: 'Resolve conflict' }).count()).resolves.toBe(0);

    // In the list, the dataset's conflict badge is whole and clear of the row's other cells.
    await page.getByRole('button', { name: 'Back to datasets' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('button', { name: 'Bidi', exact: true }) });
    const badge = row.getByText('1 conflict', { exact: true });
    for (const size of SIZES) {
      await page.setViewportSize(size);
      const [badgeBox, cellBox, deleteBox] = await Promise.all([
        badge.boundingBox(),
        badge.locator('xpath=ancestor::td').boundingBox(),
        row.getByRole('button', { name: 'Delete dataset Bidi' }).boundingBox(),
      ]);
      expect(badgeBox!.x + badgeBox!.width, `badge inside its cell at ${size.width}`).toBeLessThanOrEqual(cellBox!.x + cellBox!.width);
      expect(badgeBox!.x + badgeBox!.width, `badge left of Delete at ${size.width}`).toBeLessThanOrEqual(deleteBox!.x);
      await expectInsideWindow(page, row.getByRole('button', { name: 'Delete dataset Bidi' }), 'Delete');
    }
    await checkScreen(page, 'datasets-conflict-badge', SCREEN_CHECK);

    // The person opens the dataset and asks for the choice.
    await page.getByRole('button', { name: 'Bidi', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Resolve conflict' });
    await page.getByRole('button', { name: 'Choose…' }).click();
    await dialog.waitFor();
    await expect(readsLeftToRight(dialog, 'was changed on this computer')).resolves.toBe(true);
    await expect(readsLeftToRight(dialog, 'Bidi')).resolves.toBe(true);
    await expect(readsLeftToRight(dialog.getByText(/^Mine —/), 'this device')).resolves.toBe(true);
    await checkScreen(page, 'conflict-dialog', SCREEN_CHECK);
    await dialog.getByRole('button', { name: 'Keep mine' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
  });
});

describe('device B, whose DynamoDB cannot be reached', () => {
  let page: Page;

  test('a long network error stays within two lines, keeps the pending changes in view, says they are kept, and leaves Sync now whole', async () => {
    ({ page } = await openHost('device-b', 'no-dynamodb.json'));
    await signInInPopup(page, e2e.cloud.users[0]!);
    await createDataset(page, LONG_NAME);
    await saveRecord(page, 'greeting', 'hello');
    await saveRecord(page, 'large', 'x'.repeat(190 * 1024));
    await page.getByRole('button', { name: 'Back to datasets' }).click();
    await expect.poll(() => status(page).textContent(), { timeout: 60_000 }).toMatch(/^\d+ changes pending, kept on this computer\. Can't reach/);

    for (const size of SIZES) {
      await page.setViewportSize(size);
      await expect(lines(status(page)), `status lines at ${size.width}`).resolves.toBeLessThanOrEqual(2);
      const button = syncNowButton(page);
      await expectInsideWindow(page, button, 'Sync now');
      await expect(button.evaluate((element) => element.scrollWidth <= element.clientWidth)).resolves.toBe(true);
      await expect(textLines(button), `Sync now lines at ${size.width}`).resolves.toBe(1);
      await expectInsideWindow(page, page.getByRole('checkbox', { name: 'Work offline' }), 'Work offline');
    }
    await page.setViewportSize(SIZES[0]);

    // The whole sentence is one click away, and in the status text's title.
    await expect(status(page).getAttribute('title')).resolves.toMatch(/Check your internet connection/);
    await page.getByText('Details', { exact: true }).click();
    const details = page.getByRole('contentinfo').locator('.status-details-body');
    await expect(details.textContent()).resolves.toMatch(/^\d+ changes pending, kept on this computer\. Can't reach .* Check your internet connection/);
    await checkScreen(page, 'status-details', SCREEN_CHECK);
    await page.getByText('Details', { exact: true }).click();
  });

  test('a 128-character dataset name ends in "…" with its whole name as its title, and every column stays on screen', async () => {
    const name = page.getByRole('button', { name: LONG_NAME, exact: true });
    await expect(name.getAttribute('title')).resolves.toBe(LONG_NAME);
    const row = page.getByRole('row').filter({ has: name });
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await expect(name.evaluate((element) => element.scrollWidth > element.clientWidth)).resolves.toBe(true);
      for (const cell of await row.getByRole('cell').all()) await expectInsideWindow(page, cell, `a cell of the long-named row at ${size.width}`);
      await expectNoSidewaysScroll(page, `datasets at ${size.width}`);
    }
    await page.setViewportSize(SIZES[0]);
    await checkScreen(page, 'datasets-long-name-long-error', SCREEN_CHECK);

    await name.click();
    const heading = page.getByRole('heading', { name: LONG_NAME });
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await expectInsideWindow(page, heading, `the dataset's heading at ${size.width}`);
      await expectInsideWindow(page, page.getByRole('button', { name: 'Delete dataset', exact: true }), `Delete dataset at ${size.width}`);
      await expectNoSidewaysScroll(page, `dataset view at ${size.width}`);
      await expectWithin(page.getByLabel(`Records of ${LONG_NAME}`), page.getByRole('region', { name: LONG_NAME, exact: true }), `the records table in its panel at ${size.width}`);
    }
    await page.setViewportSize(SIZES[0]);
    await checkScreen(page, 'dataset-long-name-long-error', SCREEN_CHECK);

    await page.getByRole('button', { name: 'Delete dataset', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete dataset' });
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await expectInsideWindow(page, dialog.getByRole('button', { name: 'Cancel' }), `Cancel at ${size.width}`);
      await expectInsideWindow(page, dialog.getByRole('button', { name: `Delete ${LONG_NAME}` }), `Delete at ${size.width}`);
    }
    await checkScreen(page, 'delete-dialog-long-name', SCREEN_CHECK);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  test('an error banner goes at the next success, and does not follow into a dataset', async () => {
    await page.getByRole('button', { name: 'Back to datasets' }).click();
    const alert = page.getByRole('alert');
    await createDataset(page, 'not a valid name!');
    await alert.waitFor();
    await checkScreen(page, 'datasets-error-banner', SCREEN_CHECK);
    await page.getByRole('button', { name: LONG_NAME, exact: true }).click();
    await page.getByRole('heading', { name: LONG_NAME }).waitFor();
    await expect(alert.count()).resolves.toBe(0);

    // A success on the same screen (here: Work offline switched on) ends it too.
    await page.getByRole('button', { name: 'Back to datasets' }).click();
    await createDataset(page, 'not a valid name!');
    await alert.waitFor();
    await page.getByRole('checkbox', { name: 'Work offline' }).check();
    await expect.poll(() => alert.count()).toBe(0);
    await page.getByRole('checkbox', { name: 'Work offline' }).uncheck();
  });

  test('the sign-out dialog names a long dataset without spilling out of the window', async () => {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign out' });
    await dialog.getByText('not synced yet').waitFor();
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await expectInsideWindow(page, dialog, `the sign-out dialog at ${size.width}`);
      await expectNoSidewaysScroll(page, `sign-out dialog at ${size.width}`);
    }
    await checkScreen(page, 'sign-out-dialog-long-name', SCREEN_CHECK);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });
});
