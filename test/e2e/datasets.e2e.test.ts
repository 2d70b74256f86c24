// The two-device journey, clicked through the browser host in Chromium the way a person does it:
// two profile dirs of one demo user (two computers), the local cloud between them. Accessibility is
// checked with axe on every screen, and screenshots of each (light and dark) are kept as artifacts.
import keytar from 'keytar';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { APP_ID, profileIdOf } from '../../main/platform/platform';
import { keychainService } from '../../main/platform/keychain/keytar-store';
import { clickSyncNow, recordBridgeFrames, type BridgeFrames } from '../support/bridge-frames';
import { checkScreen } from '../support/check-screen';
import { startE2eCloud, type E2eCloud } from '../support/e2e-cloud';
import type { WebHostProcess } from '../support/web-host-process';
import { signInInPopup } from '../support/popup-sign-in';

const SCREENSHOTS = join(import.meta.dirname, '../../test-results/screenshots');
const SECRET_PATTERN = /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]+|\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|refresh_token|SecretAccessKey|SessionToken/;

let e2e: E2eCloud;
/** What each page opened heard over its bridge. */
const pageFrames: BridgeFrames[] = [];

interface Device {
  profileDir: string;
  host: WebHostProcess;
  context: BrowserContext;
  page: Page;
  frames: BridgeFrames;
}

beforeAll(async () => {
  e2e = await startE2eCloud('e2e-datasets-');
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await e2e?.stop();
});

/** One computer: its own profile dir, its own browser host, its own browser profile. */
async function openDevice(name: string, existing?: Device): Promise<Device> {
  const profileDir = existing?.profileDir ?? join(e2e.scratch, name);
  const host = await e2e.startHost(profileDir);
  const context = existing?.context ?? (await e2e.browser.newContext());
  const page = await context.newPage();
  // Everything the host sends the page, to show no secret ever crosses the bridge.
  const frames = recordBridgeFrames(page);
  pageFrames.push(frames);
  await page.goto(host.url);
  return { profileDir, host, context, page, frames };
}

async function signIn(device: Device): Promise<void> {
  await signInInPopup(device.page, e2e.cloud.users[0]!);
}

const status = (page: Page) => page.getByRole('status');
const row = (page: Page, key: string) => page.getByRole('row').filter({ has: page.getByRole('cell', { name: key, exact: true }) });

async function saveRecord(page: Page, key: string, value: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Key' }).fill(key);
  await page.getByRole('textbox', { name: 'Value' }).fill(value);
  await page.getByRole('button', { name: 'Save' }).click();
  await row(page, key).getByRole('cell', { name: value, exact: true }).waitFor();
}

async function syncNow(device: Device): Promise<void> {
  await clickSyncNow(device.page, device.frames, { timeout: 30_000 }).catch(async (error: Error) => {
    await device.page.screenshot({ path: join(SCREENSHOTS, `failed-sync-now-${Date.now()}.png`) });
    throw error;
  });
}

describe('two devices of one user keep one dataset in step', () => {
  let a: Device;
  let b: Device;

  test('A creates MainDataset, saves key = value and syncs it', async () => {
    a = await openDevice('device-a');
    await a.page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await checkScreen(a.page, 'signed-out', { dir: SCREENSHOTS });
    await signIn(a);
    await a.page.getByRole('button', { name: 'New dataset' }).click();
    await a.page.getByRole('textbox', { name: 'Dataset name' }).fill('MainDataset');
    await a.page.getByRole('button', { name: 'Create' }).click();
    await saveRecord(a.page, 'key', 'value');
    await syncNow(a);
    await checkScreen(a.page, 'dataset', { dir: SCREENSHOTS });
    await a.page.getByRole('button', { name: 'Back to datasets' }).click();
    await a.page.getByRole('button', { name: 'MainDataset', exact: true }).waitFor();
    await checkScreen(a.page, 'datasets', { dir: SCREENSHOTS });
  });

  test('B signs in and sees it', async () => {
    b = await openDevice('device-b');
    await signIn(b);
    await b.page.getByRole('button', { name: 'MainDataset', exact: true }).click({ timeout: 30_000 });
    await row(b.page, 'key').getByRole('cell', { name: 'value', exact: true }).waitFor();
  });

  test('B edits offline, A edits online; back online, B resolves the conflict and Keep mine wins everywhere', async () => {
    await b.page.getByRole('checkbox', { name: 'Work offline' }).check();
    await expect.poll(() => status(b.page).textContent()).toMatch(/^Offline/);
    await saveRecord(b.page, 'key', 'from B');
    await expect.poll(() => status(b.page).textContent()).toBe('Offline — 1 change pending');

    await a.page.getByRole('button', { name: 'MainDataset', exact: true }).click();
    await saveRecord(a.page, 'key', 'from A');
    await syncNow(a);

    await b.page.getByRole('checkbox', { name: 'Work offline' }).uncheck();
    // The conflict a background sync finds waits above the table until the person asks for the choice.
    await b.page.getByRole('button', { name: 'Choose…' }).click({ timeout: 30_000 });
    const dialog = b.page.getByRole('dialog', { name: 'Resolve conflict' });
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain('from A');
    await expect(dialog.textContent()).resolves.toContain('from B');
    await checkScreen(b.page, 'conflict-dialog', { dir: SCREENSHOTS });
    await dialog.getByRole('button', { name: 'Keep mine' }).click();
    await syncNow(b);
    await row(b.page, 'key').getByRole('cell', { name: 'from B', exact: true }).waitFor();

    await syncNow(a);
    await row(a.page, 'key').getByRole('cell', { name: 'from B', exact: true }).waitFor();
  });

  test('a change on A reaches B without a click on B, within the timer interval plus one sync', async () => {
    await saveRecord(a.page, 'unprompted', 'arrives by itself');
    await syncNow(a);
    await row(b.page, 'unprompted').getByRole('cell', { name: 'arrives by itself', exact: true }).waitFor({ timeout: 45_000 });
  });

  test('a delete on A reaches B', async () => {
    await row(a.page, 'unprompted').getByRole('button', { name: 'Delete' }).click();
    await row(a.page, 'unprompted').waitFor({ state: 'detached' });
    await syncNow(a);
    await syncNow(b);
    await row(b.page, 'unprompted').waitFor({ state: 'detached' });
  });

  test('Export writes every record to a JSON file that Import reads back; a bad file is refused and changes nothing', async () => {
    const { page } = a;
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    const exported = JSON.parse(readFileSync((await (await download).path())!, 'utf8')) as { dataset: string; records: Record<string, string> };
    expect(exported).toMatchObject({ dataset: 'MainDataset', records: { key: 'from B' } });

    const importFile = async (name: string, text: string) => {
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Import' }).click();
      await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
      return page.getByRole('dialog', { name: 'Import records' });
    };

    const bad = await importFile('broken.json', '{"format": "auth0-cognito-desktop/dataset@1", "records": {"a": 1}}');
    await bad.getByRole('alert').getByText('is number, not text').waitFor();
    await expect(bad.getByRole('button', { name: 'Import' }).count()).resolves.toBe(0);
    await bad.getByRole('button', { name: 'Close' }).click();
    await expect(row(page, 'a').count()).resolves.toBe(0);

    const good = await importFile('more.json', JSON.stringify({ ...exported, records: { imported: 'from a file', key: 'from B' } }));
    await good.getByText('2 records').waitFor();
    await good.getByRole('button', { name: 'Import' }).click();
    await row(page, 'imported').getByRole('cell', { name: 'from a file', exact: true }).waitFor();
  });

  test('B restarted with the network off still shows its data; signing out removes its keychain entry', async () => {
    await b.page.close();
    await b.host.stop();
    await e2e.cloud.stop();
    b = await openDevice('device-b', b);
    await b.page.getByText(e2e.cloud.users[0]!.username).waitFor({ timeout: 30_000 });
    await b.page.getByRole('button', { name: 'MainDataset', exact: true }).click();
    await row(b.page, 'key').getByRole('cell', { name: 'from B', exact: true }).waitFor();

    await b.page.getByRole('button', { name: 'Sign out', exact: true }).click();
    const dialog = b.page.getByRole('dialog', { name: 'Sign out' });
    await dialog.waitFor();
    await checkScreen(b.page, 'sign-out-dialog', { dir: SCREENSHOTS });
    await dialog.getByRole('button', { name: 'Sign out and remove data' }).click();
    await b.page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    // The screen turns to "Sign in" as the session leaves, while the keychain entry is being
    // removed; reading the keychain in that moment can find the item and then not read it.
    const entries = () => keytar.findCredentials(keychainService(APP_ID, profileIdOf(b.profileDir))).catch((error: Error) => error.message);
    await expect.poll(entries, { timeout: 10_000 }).toEqual([]);
  });

  test('nothing that crossed the bridge or reached a log was a token, a key or a record value', () => {
    const framesSeen = pageFrames.flatMap((frames) => frames.raw);
    expect(framesSeen.length).toBeGreaterThan(0);
    for (const frame of framesSeen) expect(frame).not.toMatch(SECRET_PATTERN);
    for (const device of [a, b]) {
      const log = readFileSync(join(device.profileDir, 'logs', 'main.log'), 'utf8');
      expect(log).not.toMatch(SECRET_PATTERN);
      for (const value of ['from A', 'from B', 'arrives by itself', 'MainDataset']) expect(log).not.toContain(value);
    }
  });
});
