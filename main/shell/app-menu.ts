// The application menu as a template per platform: pure, so a unit test reads it for each system, and
// window.ts hands it to Electron's Menu. Conventions: on macOS the app menu (About, Hide, Quit) and the
// Edit roles, without which copy and paste do nothing in a window there; Exit/Quit under File and About
// under Help elsewhere, with Alt+letter on the top-level names.
//
// The app's own items send a command to the page (`menu.command` in shared/ipc-contract.ts), the same
// commands the page's keyboard shortcuts run. The page sees a key press first: an accelerator reaches
// the menu only when the page left the press unhandled, so one press never does the work twice.
// Nothing here reloads the page (no reload role anywhere): Ctrl/Cmd+R and F5 sync now instead.
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/ipc-contract';
import { DOCUMENTATION_URL } from './external-links';

export interface AppMenuOptions {
  /** process.platform. */
  platform: NodeJS.Platform;
  /** app.isPackaged: the developer tools are offered in a development run only. */
  isPackaged: boolean;
  /** app.name, the title of macOS's app menu. */
  appName: string;
  /** Hands a command to the page. */
  send: (command: MenuCommand) => void;
  /** Opens a link in the system browser, through the external-links allowlist. */
  openLink: (url: string) => void;
}

type Item = MenuItemConstructorOptions;

const separator: Item = { type: 'separator' };

export function appMenuTemplate(options: AppMenuOptions): Item[] {
  const mac = options.platform === 'darwin';
  // Alt+F opens File on Windows and Linux; macOS has no mnemonics.
  const title = (name: string) => (mac ? name : `&${name}`);
  const command = (id: string, label: string, accelerator: string, name: MenuCommand): Item => ({
    id,
    label,
    accelerator,
    click: () => options.send(name),
  });
  return [
    ...(mac ? [macAppMenu(options.appName)] : []),
    {
      label: title('File'),
      submenu: [command('new', 'New Dataset or Record', 'CmdOrCtrl+N', 'new'), separator, mac ? { role: 'close' } : { role: 'quit' }],
    },
    {
      label: title('Edit'),
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        separator,
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
        { role: 'selectAll' },
        separator,
        // Find sits in Edit, where macOS, Windows and GNOME apps put it; it focuses the key filter.
        command('find', 'Find', 'CmdOrCtrl+F', 'find'),
      ],
    },
    {
      label: title('View'),
      submenu: [
        command('sync-now', 'Sync Now', 'CmdOrCtrl+R', 'syncNow'),
        // An item has one accelerator: F5, the other key people press to refresh, is a hidden twin.
        { ...command('sync-now-f5', 'Sync Now', 'F5', 'syncNow'), visible: false, acceleratorWorksWhenHidden: true },
        separator,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        separator,
        { role: 'togglefullscreen' },
        ...(options.isPackaged ? [] : [separator, { role: 'toggleDevTools' } as const]),
      ],
    },
    {
      label: title('Window'),
      // The 'window' role makes it macOS's Window menu, which lists the open windows.
      ...(mac ? { role: 'window' } : {}),
      submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
    },
    {
      label: title('Help'),
      // The 'help' role makes it macOS's Help menu, with its search field.
      ...(mac ? { role: 'help' } : {}),
      submenu: [
        { id: 'documentation', label: 'Documentation', click: () => options.openLink(DOCUMENTATION_URL) },
        ...(mac ? [] : [separator, { role: 'about' } as const]),
      ],
    },
  ];
}

function macAppMenu(appName: string): Item {
  return {
    label: appName,
    submenu: [
      { role: 'about' },
      separator,
      { role: 'services' },
      separator,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      separator,
      { role: 'quit' },
    ],
  };
}
