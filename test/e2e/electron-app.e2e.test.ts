// The Electron host itself. It needs the Electron binary: where it is missing, Electron's own
// installer fetches it first (scripts/electron-binary.mjs, as npm start does). The build machines
// cannot reach GitHub and say so with ELECTRON_SKIP_BINARY_DOWNLOAD=1, so there it is reported as
// skipped; the browser-host tests cover the same services and UI, and
// test/scripts/electron-fetch.int.test.ts the fetch-and-launch path against a stand-in release.
// With E2E_PACKAGED_APP=<executable> it drives a packaged app instead (CI packs the e2e flavour,
// electron-builder.e2e.yml, whose only difference is the fuse that lets Playwright attach).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../localcloud/start-local-cloud';
import { appMenuTemplate } from '../../main/shell/app-menu';
import { HARDENED_WEB_PREFERENCES } from '../../main/shell/window-preferences';
import type { Api } from '../../shared/ipc-contract';
import { ensureElectron } from '../../scripts/electron-binary.mjs';

const packagedApp = process.env.E2E_PACKAGED_APP;
const binary = packagedApp ?? (await ensureElectron()).binary;

describe.skipIf(binary === undefined)('the Electron app', () => {
  let cloud: LocalCloud;
  let app: ElectronApplication;
  // Made in beforeAll: a describe that is skipped (no Electron binary) runs no afterAll to remove it.
  let scratch: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'e2e-electron-'));
    if (packagedApp === undefined) execFileSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
    cloud = await startLocalCloud({ inMemory: true });
    const { users: _users, ...profile } = cloud.describe();
    writeFileSync(join(scratch, 'cloud.json'), JSON.stringify(profile));
    app = await _electron.launch({
      executablePath: binary,
      args: [...(packagedApp === undefined ? ['.'] : []), '--cloud', join(scratch, 'cloud.json'), '--profile-dir', join(scratch, 'profile')],
    });
  });

  afterAll(async () => {
    await app?.close();
    await cloud?.stop();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  test('opens a hardened window: the page has window.api and no Node', async () => {
    const page = await app.firstWindow();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    const globals = await page.evaluate(() => ({
      api: typeof (window as unknown as { api?: unknown }).api,
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(globals).toEqual({ api: 'object', require: 'undefined', process: 'undefined' });
  });

  test('the live window runs with the hardened webPreferences, its page served from app://', async () => {
    const page = await app.firstWindow();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    // getLastWebPreferences is Electron's (undocumented, untyped) record of what the page got.
    const preferences = await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((window) =>
        (window.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null }).getLastWebPreferences(),
      ),
    );
    expect(preferences).toHaveLength(1);
    expect(preferences[0]).toMatchObject(HARDENED_WEB_PREFERENCES);
    expect(preferences[0]?.preload).toMatch(/[\\/]preload[\\/]index\.cjs$/);
    // The file-protocol fuse is off in packaged builds: the page must not need file://.
    expect(page.url()).toMatch(/^app:\/\/renderer\//);
  });

  test('refuses to open a new window or navigate away', async () => {
    const page = await app.firstWindow();
    const before = page.url();
    await page.evaluate(() => {
      window.open('https://example.com/', '_blank');
      location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(app.windows()).toHaveLength(1);
    expect(page.url()).toBe(before);
  });

  test("installs the app's menu in place of Electron's: Sync Now on Ctrl/Cmd+R and F5, the Edit roles, nothing that reloads", async () => {
    const page = await app.firstWindow();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    // No named functions in here: the callback is sent to the app as source text.
    const live = await app.evaluate(({ app: electronApp, Menu }) => {
      const rows: { id: string; role: string | null; accelerator: string | null; visible: boolean }[] = [];
      const top = Menu.getApplicationMenu()?.items ?? [];
      const queue = [...top];
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
        rows.push({ id: item.id, role: item.role?.toLowerCase() ?? null, accelerator: item.accelerator ?? null, visible: item.visible });
        queue.push(...(item.submenu?.items ?? []));
      }
      return { appName: electronApp.name, topLabels: top.map((item) => item.label), rows };
    });
    const isPackaged = packagedApp !== undefined;
    const template = appMenuTemplate({ platform: process.platform, isPackaged, appName: live.appName, send: () => undefined, openLink: () => undefined });
    expect(live.topLabels).toEqual(template.map((item) => item.label));
    const roles = live.rows.map((row) => row.role);
    expect(roles).not.toContain('reload');
    expect(roles).not.toContain('forcereload');
    expect(roles).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectall']));
    expect(roles.includes('toggledevtools')).toBe(!isPackaged);
    const byId = (id: string) => live.rows.find((row) => row.id === id);
    expect(byId('sync-now')).toMatchObject({ accelerator: 'CmdOrCtrl+R', visible: true });
    expect(byId('sync-now-f5')).toMatchObject({ accelerator: 'F5', visible: false });
    expect(byId('new')).toMatchObject({ accelerator: 'CmdOrCtrl+N' });
    expect(byId('find')).toMatchObject({ accelerator: 'CmdOrCtrl+F' });
  });

  // Chosen with MenuItem.click(): Playwright's key presses (CDP) stop at the page and never reach a
  // native menu, so the keys themselves are checked in the page's own tests.
  test('a chosen menu item reaches the page as a menu.command event', async () => {
    const page = await app.firstWindow();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await page.evaluate(() => {
      const target = window as unknown as { api: Api; menuCommands: unknown[] };
      target.menuCommands = [];
      target.api.on('menu.command', (payload) => void target.menuCommands.push(payload));
    });
    await app.evaluate(({ Menu }) => {
      for (const id of ['new', 'find', 'sync-now', 'sync-now-f5']) Menu.getApplicationMenu()?.getMenuItemById(id)?.click();
    });
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { menuCommands: unknown[] }).menuCommands))
      .toEqual([{ command: 'new' }, { command: 'find' }, { command: 'syncNow' }, { command: 'syncNow' }]);
  });

  // The save dialog cannot be clicked from here: a second will-download listener, added after the
  // app's own (which asked for the dialog), sets the path or cancels, as the person would.
  test('a download the page makes is saved where chosen, or cancelled, and the page hears which; no "saved" for a cancel', async () => {
    const page = await app.firstWindow();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { api: Api }).api.savesDownloads)).toBe(true);
    const chosen = join(scratch, 'chosen name.json');
    await app.evaluate(({ session }, target) => {
      session.defaultSession.on('will-download', (_event, item) => {
        if (item.getFilename() === 'cancel-me.json') item.cancel();
        else item.setSavePath(target);
      });
    }, chosen);
    const download = (fileName: string) =>
      page.evaluate(
        (fileName) =>
          new Promise((resolve) => {
            const { api } = window as unknown as { api: Api };
            const url = URL.createObjectURL(new Blob(['{"exported":true}'], { type: 'application/json' }));
            const stop = api.on('download.done', (done) => {
              if (done.url !== url) return;
              stop();
              resolve(done);
            });
            const link = document.createElement('a');
            link.href = url;
            link.download = fileName;
            link.click();
          }),
        fileName,
      );
    await expect(download('Notes.json')).resolves.toMatchObject({ outcome: 'saved', fileName: 'chosen name.json' });
    expect(readFileSync(chosen, 'utf8')).toBe('{"exported":true}');
    await expect(download('cancel-me.json')).resolves.toMatchObject({ outcome: 'cancelled', fileName: 'cancel-me.json' });
  });

  // The development app only: the packaged flavour is driven as one device.
  test.skipIf(packagedApp !== undefined)('a second device (another --profile-dir) opens its own window beside the first', async () => {
    const second = await _electron.launch({
      executablePath: binary,
      args: ['.', '--cloud', join(scratch, 'cloud.json'), '--profile-dir', join(scratch, 'profile-b')],
    });
    try {
      const page = await second.firstWindow();
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      expect(await second.evaluate(({ app }) => app.getPath('userData'))).toBe(join(scratch, 'profile-b', 'chromium'));
    } finally {
      await second.close();
    }
  });
});
