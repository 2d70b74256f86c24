// The application menu, read from its template for each system, as a person would read the menu bar:
// what each menu holds, which keys do what, and that no key reloads the page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, test } from 'vitest';
import { appMenuTemplate } from '../../../main/shell/app-menu';
import { DOCUMENTATION_URL, externalLinkOrigins, isAllowedExternalLink } from '../../../main/shell/external-links';
import { shortcutOf } from '../../../renderer/src/keyboard/shortcuts';
import { events, type MenuCommand } from '../../../shared/ipc-contract';

type Item = MenuItemConstructorOptions;
const PLATFORMS = ['darwin', 'win32', 'linux'] as const;

function menuOf(platform: NodeJS.Platform, isPackaged = false) {
  const sent: MenuCommand[] = [];
  const opened: string[] = [];
  const template = appMenuTemplate({
    platform,
    isPackaged,
    appName: 'Auth0 Cognito Desktop',
    send: (command) => void sent.push(command),
    openLink: (url) => void opened.push(url),
  });
  return { template, sent, opened };
}

/** Every item at any depth. */
function allItems(items: readonly Item[]): Item[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? allItems(item.submenu) : [])]);
}

/** A menu's entries as they read: a role, a label with its accelerator, or a separator. */
function entries(template: readonly Item[], title: string): string[] {
  const menu = template.find((item) => item.label === title);
  if (menu === undefined || !Array.isArray(menu.submenu)) throw new Error(`no menu ${title}`);
  return menu.submenu.map((item) =>
    item.type === 'separator' ? '---' : item.role ?? `${item.label}${item.accelerator ? ` (${item.accelerator})` : ''}${item.visible === false ? ' hidden' : ''}`,
  );
}

function byId(template: readonly Item[], id: string): Item {
  const item = allItems(template).find((each) => each.id === id);
  if (item === undefined) throw new Error(`no item ${id}`);
  return item;
}

function choose(item: Item): void {
  (item.click as () => void)();
}

/** The key press an accelerator stands for on a platform, as the page sees it. */
function pressOf(accelerator: string, platform: NodeJS.Platform) {
  const parts = accelerator.split('+');
  const key = parts.at(-1)!;
  const commandKey = parts.includes('CmdOrCtrl');
  return {
    key: key.length === 1 ? key.toLowerCase() : key,
    ctrlKey: commandKey && platform !== 'darwin',
    metaKey: commandKey && platform === 'darwin',
    altKey: parts.includes('Alt'),
    shiftKey: parts.includes('Shift'),
  };
}

describe.each(PLATFORMS)('the application menu on %s', (platform) => {
  const mac = platform === 'darwin';
  const title = (name: string) => (mac ? name : `&${name}`);

  test('has the menus of the platform, in its order', () => {
    const { template } = menuOf(platform);
    expect(template.map((item) => item.label)).toEqual([
      ...(mac ? ['Auth0 Cognito Desktop'] : []),
      ...['File', 'Edit', 'View', 'Window', 'Help'].map(title),
    ]);
  });

  test('File has New (Ctrl/Cmd+N), then Close Window on macOS or Exit/Quit elsewhere', () => {
    expect(entries(menuOf(platform).template, title('File'))).toEqual(['New Dataset or Record (CmdOrCtrl+N)', '---', mac ? 'close' : 'quit']);
  });

  test('Edit has the standard roles, so undo, copy and paste work in the window, and Find (Ctrl/Cmd+F)', () => {
    expect(entries(menuOf(platform).template, title('Edit'))).toEqual([
      'undo',
      'redo',
      '---',
      'cut',
      'copy',
      'paste',
      ...(mac ? ['pasteAndMatchStyle'] : []),
      'selectAll',
      '---',
      'Find (CmdOrCtrl+F)',
    ]);
  });

  test('View syncs now on Ctrl/Cmd+R and on F5, zooms, and offers the developer tools only when not packaged', () => {
    const view = ['Sync Now (CmdOrCtrl+R)', 'Sync Now (F5) hidden', '---', 'resetZoom', 'zoomIn', 'zoomOut', '---', 'togglefullscreen'];
    expect(entries(menuOf(platform, false).template, title('View'))).toEqual([...view, '---', 'toggleDevTools']);
    expect(entries(menuOf(platform, true).template, title('View'))).toEqual(view);
    expect(byId(menuOf(platform).template, 'sync-now-f5').acceleratorWorksWhenHidden).toBe(true);
  });

  test('Window and Help follow the platform: macOS marks them by role; About is in Help outside macOS', () => {
    const { template } = menuOf(platform);
    expect(entries(template, title('Window'))).toEqual(mac ? ['minimize', 'zoom', '---', 'front'] : ['minimize', 'close']);
    expect(entries(template, title('Help'))).toEqual(mac ? ['Documentation'] : ['Documentation', '---', 'about']);
    expect(template.map((item) => item.role)).toEqual(mac ? [undefined, undefined, undefined, undefined, 'window', 'help'] : Array(5).fill(undefined));
  });

  test('no item anywhere reloads the page, packaged or not', () => {
    for (const isPackaged of [false, true]) {
      const roles = allItems(menuOf(platform, isPackaged).template).map((item) => item.role?.toLowerCase());
      expect(roles).not.toContain('reload');
      expect(roles).not.toContain('forcereload');
      expect(roles).not.toContain('viewmenu'); // Electron's default View menu, which has both
    }
  });

  test('each accelerator belongs to one item', () => {
    const accelerators = allItems(menuOf(platform).template).flatMap((item) => (item.accelerator ? [item.accelerator] : []));
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  test("choosing New, Find or Sync Now (either key) sends the page that command, in the contract's form", () => {
    const { template, sent, opened } = menuOf(platform);
    for (const id of ['new', 'find', 'sync-now', 'sync-now-f5']) choose(byId(template, id));
    expect(sent).toEqual(['new', 'find', 'syncNow', 'syncNow']);
    for (const command of sent) expect(events['menu.command'].parse({ command })).toEqual({ command });
    expect(opened).toEqual([]);
  });

  test('each command key is the key the page itself handles as that command, so the page acts first', () => {
    const { template, sent } = menuOf(platform);
    for (const id of ['new', 'find', 'sync-now', 'sync-now-f5']) {
      const item = byId(template, id);
      choose(item);
      expect(shortcutOf(pressOf(item.accelerator!, platform), mac), `${id}: ${item.accelerator}`).toBe(sent.at(-1));
    }
  });

  test("Help > Documentation opens the documentation, a link the window's allowlist lets through", () => {
    const { template, sent, opened } = menuOf(platform);
    choose(byId(template, 'documentation'));
    expect(opened).toEqual([DOCUMENTATION_URL]);
    expect(sent).toEqual([]);
    expect(isAllowedExternalLink(DOCUMENTATION_URL, externalLinkOrigins(undefined))).toBe(true);
  });
});

test('on macOS the app menu has About, Services, Hide, Hide Others, Show All and Quit', () => {
  const { template } = menuOf('darwin');
  expect(entries(template, 'Auth0 Cognito Desktop')).toEqual(['about', '---', 'services', '---', 'hide', 'hideOthers', 'unhide', '---', 'quit']);
});

test("the documentation link is package.json's homepage", () => {
  const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8')) as { homepage: string };
  expect(DOCUMENTATION_URL).toBe(manifest.homepage);
});
