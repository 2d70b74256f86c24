// Electron's entry: the only file (with window.ts and ipc/electron-transport.ts) that knows Electron.
// It gives the services a Platform and a window, and nothing more. Code that ships: it never starts
// the local cloud (npm start does, and passes its profile with --cloud).
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, net, protocol, shell } from 'electron';
import { isAppError, toAppErrorView, type AppErrorView } from '../shared/errors';
import { APP_PAGE_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './shell/app-protocol';
import { checkForAppUpdates } from './shell/auto-update';
import { findCloudProfile } from './cloud-profile/source';
import { attachElectronTransport } from './ipc/electron-transport';
import { externalLinkOrigins } from './shell/external-links';
import { createEventHub } from './ipc/event-hub';
import { keepServingOnUnhandledRejection } from './platform/keep-serving';
import type { Router } from './ipc/router';
import { createLogger } from './platform/log';
import { createProfileLogger, terminalLine } from './platform/log-file';
import { checkProfileDir, resolveProfileDir } from './profile-dir';
import { startServices, type RunningServices } from './start-services';
import { createMainWindow, followSessionDownloads, hardenSession, installAppMenu } from './shell/window';

const here = fileURLToPath(new URL('.', import.meta.url));

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** With no usable cloud profile the window still opens, and says why and what to do. */
function refusingRouter(error: AppErrorView): Router {
  return { dispatch: async () => ({ ok: false, error }) };
}

// Before `ready`: the renderer's own origin, app://renderer/, instead of file://.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

// Each profile dir is a device (README: two devices on one machine): with --profile-dir, Chromium's
// data and the single-instance lock (which Chromium keys on that folder) are the profile's own, so
// a second device runs beside the first while a second start of the same device still quits.
const profileDirArgument = argument('profile-dir');
if (profileDirArgument !== undefined) app.setPath('userData', join(resolve(profileDirArgument), 'chromium'));

if (!app.requestSingleInstanceLock()) app.quit();

let services: RunningServices | undefined;
// Until the profile's log file is open, only what went wrong, as one line for the terminal.
let log = createLogger({ level: 'warn', write: (_line, entry) => void process.stderr.write(`${terminalLine(entry)}\n`) });

async function start(): Promise<void> {
  hardenSession();
  const devServerUrl = process.env.ELECTRON_RENDERER_URL;
  if (devServerUrl === undefined) protocol.handle(APP_SCHEME, createAppProtocolHandler(join(here, '../renderer')));
  const rendererUrl = devServerUrl ?? APP_PAGE_URL;

  const hub = createEventHub();
  // First, before the services start: the app's menu in place of Electron's default.
  installAppMenu((command) => hub.emit('menu.command', { command }));
  followSessionDownloads(rendererUrl, (payload) => hub.emit('download.done', payload));
  let router: Router;
  try {
    const { profile } = findCloudProfile({
      argument: argument('cloud'),
      env: process.env,
      resourcesDir: app.isPackaged ? process.resourcesPath : undefined,
    });
    const profileDir = resolveProfileDir({ profile, profileDir: argument('profile-dir') });
    checkProfileDir(profileDir);
    log = createProfileLogger(profileDir);
    services = await startServices({
      profile,
      profileDir,
      openExternal: (url) => shell.openExternal(url),
      isOnline: () => net.isOnline(),
      hub,
      log,
    });
    router = services.app.router;
  } catch (error) {
    if (!isAppError(error) || (error.code !== 'CLOUD_PROFILE_MISSING' && error.code !== 'CLOUD_PROFILE_INVALID')) throw error;
    log.error('no usable cloud profile', { error });
    router = refusingRouter(error.view());
  }
  keepServingOnUnhandledRejection(log);
  const window = createMainWindow({
    preloadPath: join(here, '../preload/index.cjs'),
    rendererUrl,
    externalOrigins: externalLinkOrigins(services?.profile),
  });
  const detach = attachElectronTransport({ window, rendererUrl, router, hub });
  window.on('closed', detach);
  void checkForAppUpdates({ isPackaged: app.isPackaged, log });
}

app.on('second-instance', () => undefined);
app.on('window-all-closed', () => app.quit());
app.on('will-quit', (event) => {
  if (!services) return;
  event.preventDefault();
  const running = services;
  services = undefined;
  void running.stop().finally(() => app.quit());
});

app.whenReady().then(start).catch((error: unknown) => {
  const view = toAppErrorView(error);
  log.error('start-up failed', { error });
  dialog.showErrorBox('Auth0 Cognito Desktop could not start', (error as { message?: string })?.message ?? view.message);
  app.exit(1);
});
