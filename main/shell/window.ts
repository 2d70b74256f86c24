// The app's only window, hardened per Electron's security checklist: isolated, sandboxed, no Node,
// a strict CSP, no navigation, no new windows, no permissions; and the application menu above it.
import { app, BrowserWindow, Menu, session, shell } from 'electron';
import type { MenuCommand } from '../../shared/ipc-contract';
import { appMenuTemplate } from './app-menu';
import { followDownloads, type DownloadDone } from './downloads';
import { isAppPage } from './app-protocol';
import { contentSecurityPolicy } from '../renderer-host/content-security-policy';
import { externalLinkOrigins, routeWindowOpen } from './external-links';
import { windowWebPreferences } from './window-preferences';

const CSP = contentSecurityPolicy();

export function hardenSession(): void {
  const appSession = session.defaultSession;
  appSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  appSession.setPermissionCheckHandler(() => false);
  appSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
}

/**
 * The page's exports are saved where the person chooses, and the page hears how each ended
 * (downloads.ts); any other download is cancelled.
 */
export function followSessionDownloads(rendererUrl: string, done: (payload: DownloadDone) => void): void {
  const follow = followDownloads({ rendererUrl, defaultDir: app.getPath('downloads'), done });
  session.defaultSession.on('will-download', (_event, item) => follow(item));
}

/** The one way to the system browser from the window and the menu: only links external-links.ts allows. */
function openAllowedLink(url: string, allowedOrigins: readonly string[]): { action: 'deny' } {
  return routeWindowOpen(url, allowedOrigins, (allowed) => void shell.openExternal(allowed));
}

/**
 * Replaces Electron's default menu (whose Ctrl/Cmd+R reloads the page) with the app's own
 * (app-menu.ts); its commands reach the page through `send`. The menu links only to the
 * documentation, so it needs no cloud profile.
 */
export function installAppMenu(send: (command: MenuCommand) => void): void {
  const template = appMenuTemplate({
    platform: process.platform,
    isPackaged: app.isPackaged,
    appName: app.name,
    send,
    openLink: (url) => void openAllowedLink(url, externalLinkOrigins(undefined)),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

export function createMainWindow(options: { preloadPath: string; rendererUrl: string; externalOrigins: readonly string[] }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    show: false,
    webPreferences: windowWebPreferences(options.preloadPath),
  });
  // Every disposition, the middle-click's 'background-tab' included: allowed links go to the system browser.
  window.webContents.setWindowOpenHandler(({ url }) => openAllowedLink(url, options.externalOrigins));
  window.webContents.on('will-navigate', (event, url) => {
    if (isAppPage(url, options.rendererUrl)) return;
    event.preventDefault();
    openAllowedLink(url, options.externalOrigins);
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.rendererUrl);
  return window;
}
