// A table over all records: a dataset of 5,000 records, imported from a file, clicked through in
// Chromium on the browser host. The scrollbar stands for every record, End shows the last one
// (never loaded by scrolling page after page) and Home the first again.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { recordBridgeFrames } from '../support/bridge-frames';
import { startE2eCloud, type E2eCloud } from '../support/e2e-cloud';
import { describeTable } from '../support/table-state';
import { signInInPopup } from '../support/popup-sign-in';

const RECORDS = 5_000;
const ROW_HEIGHT = 36;
const keyOf = (index: number) => `item-${String(index).padStart(5, '0')}`;

let e2e: E2eCloud;

beforeAll(async () => {
  e2e = await startE2eCloud('e2e-large-');
});

afterAll(async () => {
  await e2e?.stop();
});

const row = (page: Page, key: string) => page.getByRole('row').filter({ has: page.getByRole('cell', { name: key, exact: true }) });

test('End shows the last of 5,000 records and Home the first, the scrollbar standing for all of them', async () => {
  const host = await e2e.startHost(join(e2e.scratch, 'device'));
  const page = await (await e2e.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const frames = recordBridgeFrames(page);
  // A row that does not come says what the table showed and what the page asked for meanwhile.
  const shows = (key: string, value: string) =>
    row(page, key)
      .getByRole('cell', { name: value, exact: true })
      .waitFor({ timeout: 30_000 })
      .catch(async (error: unknown) => {
        throw new Error(`${String(error)}\n${await describeTable(page, frames, 'Big')}`);
      });
  await page.goto(host.url);
  await signInInPopup(page, e2e.cloud.users[0]!);

  await page.getByRole('button', { name: 'New dataset' }).click();
  await page.getByRole('textbox', { name: 'Dataset name' }).fill('Big');
  await page.getByRole('button', { name: 'Create' }).click();
  const records = Object.fromEntries(Array.from({ length: RECORDS }, (_, index) => [keyOf(index), `value ${index}`]));
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import' }).click();
  await (await chooser).setFiles({
    name: 'big.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ format: 'auth0-cognito-desktop/dataset@1', dataset: 'Big', records })),
  });
  const dialog = page.getByRole('dialog', { name: 'Import records' });
  await dialog.getByRole('button', { name: 'Import' }).click();
  await shows(keyOf(0), 'value 0');

  const table = page.getByRole('region', { name: 'Records of Big' }).or(page.getByLabel('Records of Big'));
  await expect.poll(() => page.getByRole('table').getAttribute('aria-rowcount')).toBe(String(RECORDS + 1));
  // The scroll height is every record's row, not only the loaded ones.
  expect(await table.evaluate((element) => element.scrollHeight)).toBeGreaterThanOrEqual(RECORDS * ROW_HEIGHT);

  await table.focus();
  await page.keyboard.press('End');
  await shows(keyOf(RECORDS - 1), `value ${RECORDS - 1}`);
  await expect(row(page, keyOf(0)).count()).resolves.toBe(0);

  await page.keyboard.press('Home');
  await shows(keyOf(0), 'value 0');
  await expect(row(page, keyOf(RECORDS - 1)).count()).resolves.toBe(0);

  // Dragging the thumb to the bottom reads the last page directly, too.
  await table.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await row(page, keyOf(RECORDS - 1)).waitFor({ timeout: 30_000 });
  // And a record saved in the middle appears where its key sorts.
  await page.getByRole('textbox', { name: 'Key' }).fill(`${keyOf(RECORDS - 1)}-after`);
  await page.getByRole('textbox', { name: 'Value' }).fill('appended');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => page.getByRole('table').getAttribute('aria-rowcount')).toBe(String(RECORDS + 2));
  await table.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await shows(`${keyOf(RECORDS - 1)}-after`, 'appended');
}, 120_000);
