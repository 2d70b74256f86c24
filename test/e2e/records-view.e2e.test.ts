// The records view as a person uses it, clicked and typed through the browser host in Chromium:
// editing with Save and Cancel, a delete that can be undone before the cloud hears of it, the
// keyboard (one Tab stop for the table, arrows, shortcuts), a table that reads again only what a
// change concerns, and one that keeps working past 1,500 rows. Another device of the same user
// (test/support/sync-device.ts) makes the remote changes and reads what the cloud holds.
// Everything the page sends and receives over its WebSocket is recorded, to count what it asks for.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { UNDO_WINDOW_MS } from '../../renderer/src/data/data-client';
import { checkScreen } from '../support/check-screen';
import { signInCloudUser } from '../support/cloud-user';
import { startE2eCloud, type E2eCloud } from '../support/e2e-cloud';
import { importRecords } from '../support/import-records';
import { signInInPopup } from '../support/popup-sign-in';
import { clickSyncNow, recordBridgeFrames, type BridgeFrames } from '../support/bridge-frames';
import { describeTable } from '../support/table-state';
import { openSyncDevice, remoteRecords, type SyncDevice } from '../support/sync-device';
import { readsLeftToRight } from '../support/reads-left-to-right';

const SCREENSHOTS = join(import.meta.dirname, '../../test-results/screenshots/records');

let e2e: E2eCloud;
let page: Page;
let other: SyncDevice;

/** Everything the page sends and receives over its WebSocket, to count what it asks for. */
let frames: BridgeFrames;

beforeAll(async () => {
  e2e = await startE2eCloud('e2e-records-');
  mkdirSync(SCREENSHOTS, { recursive: true });
  const host = await e2e.startHost(join(e2e.scratch, 'device-a'));
  page = await (await e2e.browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  frames = recordBridgeFrames(page);
  await page.goto(host.url);
  await signInInPopup(page, e2e.cloud.users[0]!);
  other = await openSyncDevice(await signInCloudUser(e2e.cloud, e2e.scratch, 0), e2e.scratch);
});

afterAll(async () => {
  other?.close();
  await e2e?.stop();
});

const status = () => page.getByRole('status');
const row = (key: string) => page.getByRole('row').filter({ has: page.getByRole('cell', { name: key, exact: true }) });
const valueOf = (key: string) => row(key).locator('td.value').textContent();
const requests = (command: string, dataset?: string) => frames.requests(command, dataset);
const alerts = () => page.getByRole('alert').count();
/** Writes the page's identity made to DynamoDB (a commit is a TransactWriteItems). */
const cloudWrites = () =>
  Object.entries(e2e.cloud.requestCounts()[other.identityId] ?? {})
    .filter(([operation]) => /Write|Put|Update|Delete/.test(operation))
    .reduce((sum, [, count]) => sum + count, 0);
/** The element that has the focus, as "tag data-col name". */
const focused = () =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    const line = element?.closest('tr[data-row]');
    return {
      tag: element?.tagName.toLowerCase(),
      column: element?.dataset.col,
      key: line?.querySelector('td.key')?.textContent ?? undefined,
      inTable: element?.closest('.records-scroll') !== null,
      name: element?.getAttribute('aria-label') ?? element?.textContent ?? '',
    };
  });

async function createDataset(name: string): Promise<void> {
  await page.getByRole('button', { name: 'New dataset' }).click();
  await page.getByRole('textbox', { name: 'Dataset name' }).fill(name);
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { name }).waitFor();
}

/** To the datasets list, from wherever the page is (each test can then run alone). */
async function toList(): Promise<void> {
  const back = page.getByRole('button', { name: 'Back to datasets' });
  if ((await back.count()) > 0) await back.click();
  await page.getByRole('heading', { name: 'Datasets', exact: true }).waitFor();
}

async function openDataset(name: string): Promise<void> {
  if ((await page.getByRole('heading', { name, exact: true }).count()) > 0) return;
  await toList();
  await page.getByRole('button', { name, exact: true }).click();
  await page.getByRole('heading', { name, exact: true }).waitFor();
}

async function saveRecord(key: string, value: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Key' }).fill(key);
  await page.getByRole('textbox', { name: 'Value' }).fill(value);
  await page.getByRole('button', { name: 'Save' }).click();
  await row(key).getByRole('cell', { name: value, exact: true }).waitFor();
}

async function syncNow(): Promise<void> {
  await clickSyncNow(page, frames);
}

const keyOf = (index: number) => `k${String(index).padStart(2, '0')}`;

describe('editing and deleting feel safe', () => {
  test('Edit opens the record in a dialog, the value focused and the key read-only; Escape and Cancel change nothing; Enter and Ctrl+Enter save', async () => {
    await createDataset('Notes');
    await saveRecord('greeting', 'hello');
    await saveRecord('temp', 'to be deleted');

    await row('greeting').getByRole('button', { name: 'Edit greeting' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit record' });
    await dialog.waitFor();
    // The page behind the dialog is out of reach: one Key, one Value, one Save — the dialog's.
    await expect(page.getByRole('textbox', { name: 'Value' }).count()).resolves.toBe(1);
    await expect(page.getByRole('textbox', { name: 'Key' }).inputValue()).resolves.toBe('greeting');
    await expect(page.getByRole('textbox', { name: 'Key' }).isEditable()).resolves.toBe(false);
    await expect.poll(focused).toMatchObject({ tag: 'textarea' });
    await expect(page.getByRole('textbox', { name: 'Value' }).inputValue()).resolves.toBe('hello');
    await checkScreen(page, 'edit-dialog', { dir: SCREENSHOTS });

    const putsBefore = requests('records.put').length;
    await page.keyboard.type(' world');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect(valueOf('greeting')).resolves.toBe('hello');
    // The focus is back on the row's Edit.
    await expect.poll(focused).toMatchObject({ column: 'edit', key: 'greeting' });

    await row('greeting').getByRole('button', { name: 'Edit' }).click();
    await page.keyboard.type(' world');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect(valueOf('greeting')).resolves.toBe('hello');
    expect(requests('records.put').length).toBe(putsBefore);

    await row('greeting').getByRole('button', { name: 'Edit' }).click();
    await page.keyboard.type(', world');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await row('greeting').getByRole('cell', { name: 'hello, world', exact: true }).waitFor();

    await row('greeting').getByRole('button', { name: 'Edit' }).click();
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('again');
    await page.keyboard.press('Control+Enter');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => valueOf('greeting')).toBe('hello, world\nagain');
    expect(await alerts()).toBe(0);
  });

  test('Delete → Undo brings the record back and the cloud never hears of the delete', async () => {
    await syncNow();
    const writesBefore = cloudWrites();
    const removesBefore = requests('records.remove').length;

    await row('greeting').getByRole('button', { name: 'Delete greeting' }).click();
    await row('greeting').waitFor({ state: 'detached' });
    const undo = page.getByRole('button', { name: 'Undo' });
    await undo.waitFor();
    await expect(page.locator('.undo-toast').textContent()).resolves.toMatch(/^Record deleted — greeting/);
    // The pointer on the offer stops its clock, however long the checks below take.
    await page.locator('.undo-toast').hover();
    await checkScreen(page, 'undo-offer', { dir: SCREENSHOTS });
    await undo.click();
    await expect.poll(() => valueOf('greeting')).toBe('hello, world\nagain');
    await undo.waitFor({ state: 'detached' });

    // Well past the undo window, and after a sync: nothing was sent, nothing written in the cloud.
    await page.waitForTimeout(UNDO_WINDOW_MS + 1000);
    await syncNow();
    expect(requests('records.remove').length).toBe(removesBefore);
    expect(cloudWrites()).toBe(writesBefore);
    await other.engine.syncAll();
    expect((await remoteRecords(other.table, 'Notes')).get('greeting')).toBe('hello, world\nagain');
  }, 60_000);

  test('a delete left alone is sent when its undo window ends, and reaches the cloud', async () => {
    const removesBefore = requests('records.remove').length;
    const deletedAt = Date.now();
    await row('temp').getByRole('button', { name: 'Delete temp' }).click();
    await row('temp').waitFor({ state: 'detached' });
    await expect.poll(() => requests('records.remove').length, { timeout: UNDO_WINDOW_MS + 5000 }).toBe(removesBefore + 1);
    expect(Date.now() - deletedAt).toBeGreaterThanOrEqual(UNDO_WINDOW_MS - 500);
    await page.getByRole('button', { name: 'Undo' }).waitFor({ state: 'detached' });
    await expect(row('temp').count()).resolves.toBe(0);
    await syncNow();
    expect((await remoteRecords(other.table, 'Notes')).has('temp')).toBe(false);
  }, 60_000);
});

describe('the keyboard reaches everything', () => {
  test('the table is one Tab stop; arrows, Page Down, Home and End move in it; Enter edits; Delete deletes and Ctrl+Z undoes', async () => {
    await toList();
    await createDataset('Keys');
    await importRecords(page, 'Keys', Object.fromEntries(Array.from({ length: 60 }, (_, index) => [keyOf(index), `value ${index}`])), { untilClosed: true });
    await row(keyOf(0)).waitFor();

    // From Save, Tab enters the table once and the next Tab leaves it.
    await page.getByRole('button', { name: 'Save' }).focus();
    await page.keyboard.press('Tab');
    await expect.poll(focused).toMatchObject({ inTable: true, column: 'key', key: keyOf(0) });
    await page.keyboard.press('Tab');
    await expect.poll(focused).toMatchObject({ inTable: false });
    await page.keyboard.press('Shift+Tab');
    await expect.poll(focused).toMatchObject({ inTable: true, column: 'key', key: keyOf(0) });

    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toMatchObject({ column: 'key', key: keyOf(2) });
    await page.keyboard.press('ArrowRight');
    await expect.poll(focused).toMatchObject({ column: 'value', key: keyOf(2) });
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(focused).toMatchObject({ tag: 'button', column: 'edit', key: keyOf(2), name: `Edit ${keyOf(2)}` });
    await page.keyboard.press('ArrowRight');
    await expect.poll(focused).toMatchObject({ tag: 'button', column: 'delete', name: `Delete ${keyOf(2)}` });
    await page.keyboard.press('End');
    await expect.poll(focused).toMatchObject({ column: 'delete', key: keyOf(59) });
    await page.keyboard.press('Home');
    await expect.poll(focused).toMatchObject({ column: 'delete', key: keyOf(0) });
    await page.keyboard.press('PageDown');
    await expect.poll(async () => Number((await focused()).key?.slice(1))).toBeGreaterThan(3);
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(focused).toMatchObject({ column: 'key', key: keyOf(0) });

    // Enter on a cell edits its record; Escape closes the dialog and gives the focus back.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Edit record' });
    await dialog.waitFor();
    await expect(dialog.getByRole('textbox', { name: 'Key' }).inputValue()).resolves.toBe(keyOf(1));
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(focused).toMatchObject({ column: 'key', key: keyOf(1) });

    // Delete on the row deletes it; the focus stays in its place, on the next record; Ctrl+Z undoes.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Delete');
    await row(keyOf(2)).waitFor({ state: 'detached' });
    await expect.poll(focused).toMatchObject({ column: 'key', key: keyOf(3) });
    await page.getByRole('button', { name: 'Undo' }).waitFor();
    await page.keyboard.press('Control+z');
    await row(keyOf(2)).waitFor();
    await expect.poll(focused).toMatchObject({ inTable: true });
    await checkScreen(page, 'keyboard-focus', { dir: SCREENSHOTS });
    expect(await alerts()).toBe(0);
  });

  test('a focused row scrolled out of sight leaves the focus on the table, never on a row that shows another record; the keys still move it, and delete nothing', async () => {
    await row(keyOf(0)).getByRole('cell', { name: keyOf(0), exact: true }).click();
    await expect.poll(focused).toMatchObject({ column: 'key', key: keyOf(0) });
    await page.getByRole('region', { name: 'Records of Keys' }).evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    await row(keyOf(59)).waitFor();
    await expect(row(keyOf(0)).count()).resolves.toBe(0);
    // Left on the scroll box, not on the page: no row holds it, and the keys still work.
    await expect.poll(focused).toMatchObject({ key: undefined, inTable: true });
    // Delete and Enter there delete and open nothing: no row was chosen.
    await page.keyboard.press('Delete');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Undo' }).count()).resolves.toBe(0);
    await expect(page.getByRole('dialog').count()).resolves.toBe(0);
    await page.keyboard.press('Home');
    await expect.poll(focused).toMatchObject({ column: 'key', key: keyOf(0) });
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toMatchObject({ column: 'key', key: keyOf(1) });
  });

  test('Ctrl+F filters, Ctrl+N starts a new record, Ctrl+R and F5 sync now without reloading the page', async () => {
    await page.keyboard.press('Control+f');
    // A search box (role searchbox), so that "textbox Key" names one box only.
    const filter = page.getByRole('searchbox', { name: 'Filter by key prefix' });
    await expect(filter.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    await page.keyboard.type('k1');
    await row(keyOf(10)).waitFor();
    await expect.poll(() => row(keyOf(0)).count()).toBe(0);
    // Escape empties the filter.
    await page.keyboard.press('Escape');
    await row(keyOf(0)).waitFor();
    await expect(filter.inputValue()).resolves.toBe('');

    await page.keyboard.press('Control+n');
    await expect(page.getByRole('textbox', { name: 'Key' }).evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    await page.keyboard.type('a-typed');
    await page.keyboard.press('Tab');
    await page.keyboard.type('by keyboard');
    await page.keyboard.press('Enter');
    await row('a-typed').getByRole('cell', { name: 'by keyboard', exact: true }).waitFor();

    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    for (const keys of ['Control+r', 'F5']) {
      const before = requests('sync.now').length;
      await page.keyboard.press(keys);
      await expect.poll(() => requests('sync.now').length, { message: keys }).toBe(before + 1);
    }
    await expect(page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
    await expect.poll(() => status().textContent(), { timeout: 30_000 }).toBe('Synced');
  });

  test('in the list, Ctrl+N opens the New dataset form and Escape closes it', async () => {
    await toList();
    await page.getByRole('button', { name: 'Keys', exact: true }).waitFor();
    await page.keyboard.press('Control+n');
    const name = page.getByRole('textbox', { name: 'Dataset name' });
    await name.waitFor();
    await expect(name.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await name.waitFor({ state: 'detached' });
    await expect(page.getByRole('button', { name: 'New dataset' }).evaluate((element) => element === document.activeElement)).resolves.toBe(true);
  });
});

describe('a change reads again only what it concerns', () => {
  test("a remote change to dataset Notes does not read Keys' records again; one to Keys does", async () => {
    await openDataset('Keys');
    await syncNow();
    await other.engine.syncAll();
    // Quiet: whatever the last sync set off has been read.
    await page.waitForTimeout(1500);
    const keysListed = requests('records.list', 'Keys').length;
    const eventsBefore = frames.events.length;

    other.store.put(other.identityId, 'Notes', 'remote', 'from the other device');
    await other.engine.syncAll();
    await syncNow();
    await expect
      .poll(() => frames.events.slice(eventsBefore).some((each) => each.event === 'records.changed' && each.payload.dataset === 'Notes'), { timeout: 30_000 })
      .toBe(true);
    await page.waitForTimeout(1500);
    expect(requests('records.list', 'Keys').length).toBe(keysListed);

    other.store.put(other.identityId, 'Keys', keyOf(5), 'changed remotely');
    await other.engine.syncAll();
    await syncNow();
    await row(keyOf(5)).getByRole('cell', { name: 'changed remotely', exact: true }).waitFor({ timeout: 30_000 });
    expect(requests('records.list', 'Keys').length).toBeGreaterThan(keysListed);
  }, 90_000);
});

describe('past 1,500 rows the table keeps working', () => {
  const BIG = 3000;
  const bigKey = (index: number) => `item-${String(index).padStart(5, '0')}`;

  test('scrolled past row 1,500, a Save and a remote change read the table again without an error', async () => {
    await toList();
    await createDataset('Big');
    await importRecords(page, 'Big', Object.fromEntries(Array.from({ length: BIG }, (_, index) => [bigKey(index), `value ${index}`])), { untilClosed: true });
    await row(bigKey(0)).waitFor({ timeout: 30_000 });
    await syncNow();
    await other.engine.syncAll();
    expect(other.records('Big').size, 'records of Big on the other device').toBe(BIG);

    // Down the table a screenful at a time, as a wheel does, until row 1,600 is on screen.
    const table = page.getByRole('region', { name: 'Records of Big' });
    const offsetsBefore = new Set(requests('records.list', 'Big').map((each) => each.input.offset));
    for (let top = 0; top < 1599 * 36; top += 500) {
      await table.evaluate((element, to) => element.scrollTo({ top: to }), top);
      await page.waitForTimeout(15);
    }
    await table.evaluate((element, to) => element.scrollTo({ top: to }), 1599 * 36);
    await row(bigKey(1600)).waitFor({ timeout: 10_000 });
    const pagesRead = new Set(requests('records.list', 'Big').map((each) => each.input.offset)).size - offsetsBefore.size;
    expect(pagesRead * 200, 'rows read while scrolling').toBeGreaterThan(1500);

    await page.getByRole('textbox', { name: 'Key' }).fill(`${bigKey(1600)}-saved`);
    await page.getByRole('textbox', { name: 'Value' }).fill('saved while scrolled');
    await page.getByRole('button', { name: 'Save' }).click();
    await row(`${bigKey(1600)}-saved`).getByRole('cell', { name: 'saved while scrolled', exact: true }).waitFor();
    await expect.poll(() => page.getByRole('table').getAttribute('aria-rowcount')).toBe(String(BIG + 2));

    other.store.put(other.identityId, 'Big', bigKey(1605), 'changed remotely');
    await other.engine.syncAll();
    expect((await remoteRecords(other.table, 'Big')).get(bigKey(1605)), 'the cloud holds the remote change').toBe('changed remotely');
    await syncNow();
    await row(bigKey(1605))
      .getByRole('cell', { name: 'changed remotely', exact: true })
      .waitFor({ timeout: 30_000 })
      .catch(async (error: unknown) => {
        // What the page shows instead: a read that never came, or one that read old rows.
        throw new Error(`${String(error)}\n${await describeTable(page, frames, 'Big')}`);
      });
    await row(bigKey(1600)).waitFor();
    expect(await alerts()).toBe(0);
    for (const request of requests('records.list')) expect(request.input.limit ?? 0).toBeLessThanOrEqual(1000);
    await checkScreen(page, 'big-scrolled', { dir: SCREENSHOTS });
  }, 120_000);
});

describe('long and right-to-left text stays readable and reachable', () => {
  const LONG_KEY = `long-key-${'k'.repeat(119)}`;
  const LONG_VALUE = 'x'.repeat(190 * 1024);
  const RLO = '\u202E';

  test('a 190 KiB value opens whole with the mouse at 1280 and 800 wide; a shortened key shows whole as a tooltip', async () => {
    await toList();
    await createDataset('Shapes');
    await page.getByRole('textbox', { name: 'Key' }).fill(LONG_KEY);
    await page.getByRole('textbox', { name: 'Value' }).fill(LONG_VALUE);
    await page.getByRole('button', { name: 'Save' }).click();
    const line = page.locator('tr[data-row]').filter({ hasText: 'long-key-' });
    await line.waitFor();
    await expect(line.locator('td.key').getAttribute('title')).resolves.toBe(LONG_KEY);
    await expect(line.locator('td.key').evaluate((cell) => cell.scrollWidth > cell.clientWidth)).resolves.toBe(true);

    for (const size of [{ width: 1280, height: 720 }, { width: 800, height: 600 }]) {
      await page.setViewportSize(size);
      const showAll = line.getByRole('button', { name: /^Show all/ });
      const [button, cell] = await Promise.all([showAll.boundingBox(), line.locator('td.value').boundingBox()]);
      expect(button!.x + button!.width, `Show all inside its cell at ${size.width}`).toBeLessThanOrEqual(cell!.x + cell!.width);
      expect(button!.x + button!.width, `Show all inside the window at ${size.width}`).toBeLessThanOrEqual(size.width);
      await expect(showAll.evaluate((element) => element.scrollWidth <= element.clientWidth)).resolves.toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, `long-value-${size.width}x${size.height}.png`) });
      await showAll.click();
      const dialog = page.getByRole('dialog', { name: /^Value of long-key-/ });
      await expect(dialog.locator('pre').evaluate((element) => element.textContent!.length)).resolves.toBe(LONG_VALUE.length);
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
    }
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  test('a bidi override in a key, a value or the filter reorders nothing around it', async () => {
    await page.getByRole('textbox', { name: 'Key' }).fill(`${RLO}reversed-key`);
    await page.getByRole('textbox', { name: 'Value' }).fill(`${RLO}${'reversed value '.repeat(20)}`);
    await page.getByRole('button', { name: 'Save' }).click();
    const line = page.locator('tr[data-row]').filter({ hasText: 'reversed-key' });
    await line.waitFor();
    await expect(readsLeftToRight(line.getByRole('button', { name: /^Show all/ }), 'Show all')).resolves.toBe(true);
    await expect(readsLeftToRight(line.getByRole('button', { name: /^Edit/ }), 'Edit')).resolves.toBe(true);

    const filter = page.getByRole('searchbox', { name: 'Filter by key prefix' });
    await filter.fill(`${RLO}nothing`);
    const empty = page.getByText(/^No key starts with/);
    await empty.waitFor();
    await expect(readsLeftToRight(empty, 'No key starts with')).resolves.toBe(true);
    // The closing quote and full stop stay at the end, right of the (reversed) prefix.
    await expect(
      empty.evaluate((element) => {
        const text = element.lastChild!;
        const range = document.createRange();
        range.setStart(text, text.textContent!.length - 1);
        range.setEnd(text, text.textContent!.length);
        return range.getBoundingClientRect().right >= element.querySelector('bdi')!.getBoundingClientRect().right;
      }),
    ).resolves.toBe(true);
    await checkScreen(page, 'bidi-filter', { dir: SCREENSHOTS });
    await filter.fill('');
  });
});
