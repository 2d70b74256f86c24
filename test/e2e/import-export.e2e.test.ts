// Import and export say what they will do and what they did, clicked through the browser host in
// Chromium: the preview counts the new records, names the keys whose value it replaces and counts
// those that already hold the same value, before anything is written; Import and Export confirm when
// done in a polite message over the table; a bad file lists every problem and writes nothing.
// Everything the page sends over its WebSocket is recorded, to show what reached the main process.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EXPORT_FORMAT } from '../../renderer/src/records/export-dataset';
import { recordBridgeFrames, type BridgeFrames } from '../support/bridge-frames';
import { checkScreen } from '../support/check-screen';
import { startE2eCloud, type E2eCloud } from '../support/e2e-cloud';
import { signInInPopup } from '../support/popup-sign-in';

const SCREENSHOTS = join(import.meta.dirname, '../../test-results/screenshots/import-export');
const DATASET = 'Imports';

let e2e: E2eCloud;
let page: Page;
let frames: BridgeFrames;

beforeAll(async () => {
  e2e = await startE2eCloud('e2e-import-export-');
  mkdirSync(SCREENSHOTS, { recursive: true });
  const host = await e2e.startHost(join(e2e.scratch, 'device'));
  page = await (await e2e.browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true })).newPage();
  frames = recordBridgeFrames(page);
  await page.goto(host.url);
  await signInInPopup(page, e2e.cloud.users[0]!);
  await page.getByRole('button', { name: 'New dataset' }).click();
  await page.getByRole('textbox', { name: 'Dataset name' }).fill(DATASET);
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { name: DATASET, exact: true }).waitFor();
});

afterAll(async () => {
  await e2e?.stop();
});

const keyOf = (index: number) => `k${String(index).padStart(2, '0')}`;
const row = (key: string) => page.getByRole('row').filter({ has: page.getByRole('cell', { name: key, exact: true }) });
const valueOf = (key: string) => row(key).locator('td.value').textContent();
/** A record's value wherever it sorts: the table shows only what fits, so the filter brings it up. */
async function valueFound(key: string): Promise<string | null> {
  const filter = page.getByRole('searchbox', { name: 'Filter by key prefix' });
  await filter.fill(key);
  const value = await valueOf(key);
  await filter.fill('');
  return value;
}
const sentCount = (command: string) => frames.requests(command).length;
const importDialog = () => page.getByRole('dialog', { name: 'Import records' });
/** The message saying what an import or export has just done. */
const confirmation = () => page.locator('.confirmation-toast');

async function chooseFile(name: string, text: string): Promise<Locator> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  await importDialog().waitFor();
  return importDialog();
}

const exportFile = (records: Record<string, unknown>) => JSON.stringify({ format: EXPORT_FORMAT, dataset: 'Elsewhere', records });

/**
 * axe in light and dark, and a screenshot of each. The screenshot first: a confirmation lasts a few
 * seconds, and axe takes some on a busy machine.
 */
const SCREEN_CHECK = { dir: SCREENSHOTS, screenshotFirst: true };

/** The confirmation is in a polite live region that was in the page, empty, before it spoke. */
async function expectConfirmation(text: string): Promise<void> {
  await expect.poll(() => confirmation().textContent(), { timeout: 15_000 }).toBe(text);
  await expect(confirmation().getAttribute('aria-live')).resolves.toBe('polite');
  await expect(confirmation().getAttribute('role')).resolves.toBeNull();
}

describe('import and export say what they do', () => {
  test('into an empty dataset the preview counts every record as new; Import confirms what it wrote, politely, until the next action', async () => {
    // The message's region is in the page before anything is said, so screen readers hear it.
    await expect(confirmation().count()).resolves.toBe(1);
    await expect(confirmation().textContent()).resolves.toBe('');

    const records = Object.fromEntries(Array.from({ length: 25 }, (_, index) => [keyOf(index + 1), 'old']));
    const dialog = await chooseFile('first.json', exportFile(records));
    await dialog.getByText('25 new records').waitFor();
    await expect(dialog.getByText(/replace/).count()).resolves.toBe(0);
    // Staged and compared, not written: the table is still empty.
    expect(sentCount('datasets.importCommit')).toBe(0);
    await expect(row(keyOf(1)).count()).resolves.toBe(0);

    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectConfirmation(`Imported 25 records into ${DATASET}: 25 new, 0 replaced.`);
    await expect(valueOf(keyOf(1))).resolves.toBe('old');
    await checkScreen(page, 'import-confirmed', SCREEN_CHECK);

    // The next action (a click anywhere) ends the confirmation.
    await page.getByRole('textbox', { name: 'Key' }).click();
    await expect.poll(() => confirmation().textContent()).toBe('');
  });

  test('over records it holds, the preview counts new, replaced (naming the first 20, "and 2 more") and unchanged keys; Cancel writes nothing; Import confirms', async () => {
    // k01–k22 change, k23–k25 stay the same, n1–n4 are new.
    const records: Record<string, string> = {};
    for (let index = 1; index <= 25; index += 1) records[keyOf(index)] = index <= 22 ? 'new' : 'old';
    for (let index = 1; index <= 4; index += 1) records[`n${index}`] = 'added';
    const text = exportFile(records);

    let dialog = await chooseFile('over.json', text);
    await dialog.getByText('29 records').waitFor();
    await dialog.getByText(', exported from Elsewhere').waitFor();
    await dialog.getByText('4 new records').waitFor();
    const replaced = dialog.getByRole('listitem').filter({ hasText: '22 replace existing records' });
    await replaced.waitFor();
    const named = replaced.getByRole('list').getByRole('listitem');
    await expect(named.allTextContents()).resolves.toEqual([...Array.from({ length: 20 }, (_, index) => keyOf(index + 1)), 'and 2 more']);
    await dialog.getByText('3 already hold the same value').waitFor();
    await checkScreen(page, 'import-preview', SCREEN_CHECK);

    // Cancel drops the staged import: nothing is written.
    const cancelled = sentCount('datasets.importCancel');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => sentCount('datasets.importCancel')).toBe(cancelled + 1);
    await expect(valueOf(keyOf(1))).resolves.toBe('old');
    await expect(row('n1').count()).resolves.toBe(0);
    await expect(confirmation().textContent()).resolves.toBe('');

    dialog = await chooseFile('over.json', text);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectConfirmation(`Imported 26 records into ${DATASET}: 4 new, 22 replaced; 3 records already held the same value.`);
    await expect.poll(() => valueOf(keyOf(1))).toBe('new');
    // The focus is back on Import, beside the confirmation.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Import');
    await expect(valueFound(keyOf(22))).resolves.toBe('new');
    await expect(valueFound(keyOf(25))).resolves.toBe('old');
    await expect(valueFound('n4')).resolves.toBe('added');
  });

  test('a bad file lists every problem with its record and key (the first 20, then how many more), and nothing is imported', async () => {
    const begun = sentCount('datasets.importBegin');
    const records: string[] = ['"fine": "x"', '"": "empty key"', '"number": 1', '"nothing": null', `"${'y'.repeat(129)}": "long key"`, '"fine": "again"'];
    for (let index = 0; index < 19; index += 1) records.push(`"bad${index}": true`);
    const dialog = await chooseFile('bad.json', `{"format": "${EXPORT_FORMAT}", "records": {${records.join(', ')}}}`);
    const alert = dialog.getByRole('alert');
    await alert.getByText('The file has 24 problems; fix them and choose the file again. Nothing was imported.').waitFor();
    const problems = await alert.getByRole('listitem').allTextContents();
    expect(problems).toHaveLength(21);
    expect(problems.slice(0, 5)).toEqual([
      'Record 2: the key is empty; a key needs at least one character.',
      'Record 3, number: the value is number, not text (a JSON string).',
      'Record 4, nothing: the value is null, not text (a JSON string).',
      `Record 5, ${'y'.repeat(60)}…: the key is 129 bytes of UTF-8; a key takes at most 128.`,
      'Record 6, fine: the same key as record 1; a key may appear once.',
    ]);
    expect(problems[5]).toBe('Record 7, bad0: the value is boolean, not text (a JSON string).');
    expect(problems[20]).toBe('… and 4 more');
    await expect(dialog.getByRole('button', { name: 'Import', exact: true }).count()).resolves.toBe(0);
    await checkScreen(page, 'import-bad-file', SCREEN_CHECK);

    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Nothing reached the main process, and the dataset is as it was.
    expect(sentCount('datasets.importBegin')).toBe(begun);
    await expect(row('number').count()).resolves.toBe(0);
    await expect(confirmation().textContent()).resolves.toBe('');
    await expect.poll(() => page.getByText('29 records ·').count()).toBe(1);
  });

  test('Export saves every record and confirms it, naming the file', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${DATASET}.json`);
    const exported = JSON.parse(readFileSync((await file.path())!, 'utf8')) as { dataset: string; records: Record<string, string> };
    const expected = Object.fromEntries([
      ...Array.from({ length: 25 }, (_, index) => [keyOf(index + 1), index < 22 ? 'new' : 'old']),
      ...Array.from({ length: 4 }, (_, index) => [`n${index + 1}`, 'added']),
    ]);
    expect(exported).toMatchObject({ dataset: DATASET, records: expected });
    expect(Object.keys(exported.records)).toHaveLength(29);
    await expectConfirmation(`Exported 29 records to ${DATASET}.json.`);
    await checkScreen(page, 'export-confirmed', SCREEN_CHECK);
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  test('a confirmation shows above the Undo offer of a delete, covering neither it nor moving it when it ends', async () => {
    await row(keyOf(1)).getByRole('button', { name: 'Delete' }).click();
    const undo = page.getByRole('button', { name: 'Undo' });
    await undo.waitFor();
    await page.getByRole('button', { name: 'Export' }).click();
    await expect.poll(() => confirmation().textContent()).toMatch(/^Exported \d+ records to Imports\.json\.$/);
    const [offer, said] = await Promise.all([page.locator('.undo-toast').boundingBox(), confirmation().boundingBox()]);
    expect(offer!.height).toBeGreaterThan(0);
    expect(said!.height).toBeGreaterThan(0);
    expect(said!.y + said!.height).toBeLessThanOrEqual(offer!.y);
    await page.screenshot({ path: join(SCREENSHOTS, 'confirmation-and-undo.png') });
    // Pressing Undo ends the confirmation and Undo stays under the pointer: the record is back.
    await undo.click();
    await row(keyOf(1)).waitFor();
    await expect.poll(() => confirmation().textContent()).toBe('');
  });
});
