// The app's only window, hardened per Electron's security checklist: isolated, sandboxed, no Node,
// a strict CSP, no navigation, no new windows, no permissions.
import { BrowserWindow, session, shell } from 'electron';
import { isAppPage } from './app-protocol';
import { contentSecurityPolicy } from '../renderer-host/content-security-policy';
import { routeWindowOpen } from './external-links';
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

export function createMainWindow(options: { preloadPath: string; rendererUrl: string; externalOrigins: readonly string[] }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    show: false,
    webPreferences: windowWebPreferences(options.preloadPath),
  });
  const openExternal = (url: string) => void shell.openExternal(url);
  // Every disposition, the middle-click's 'background-tab' included: allowed links go to the system browser.
  window.webContents.setWindowOpenHandler(({ url }) => routeWindowOpen(url, options.externalOrigins, openExternal));
  window.webContents.on('will-navigate', (event, url) => {
    if (isAppPage(url, options.rendererUrl)) return;
    event.preventDefault();
    routeWindowOpen(url, options.externalOrigins, openExternal);
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.rendererUrl);
  return window;
}
