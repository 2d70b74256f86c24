// Electron's entry: the only file (with window.ts and ipc/electron-transport.ts) that knows Electron.
// It gives the services a Platform and a window, and nothing more.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, dialog, net, shell } from 'electron';
import { toAppErrorView } from '../shared/errors';
import { readCloudProfileFile } from './cloud-profile-file';
import { demoUsersLine } from './demo-users-line';
import { attachElectronTransport } from './ipc/electron-transport';
import { createEventHub } from './ipc/event-hub';
import { createLogger } from './log';
import { startServices, type RunningServices } from './start-services';
import { createMainWindow, hardenSession } from './window';

const here = fileURLToPath(new URL('.', import.meta.url));
const log = createLogger({ level: 'info' });

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

if (!app.requestSingleInstanceLock()) app.quit();

let services: RunningServices | undefined;

async function start(): Promise<void> {
  hardenSession();
  const cloudFile = argument('cloud');
  const hub = createEventHub();
  services = await startServices({
    profile: cloudFile === undefined ? undefined : readCloudProfileFile(cloudFile),
    profileDir: argument('profile-dir'),
    openExternal: (url) => shell.openExternal(url),
    isOnline: () => net.isOnline(),
    hub,
    log,
  });
  if (services.demoUsers) console.log(demoUsersLine(services.demoUsers));
  const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(join(here, '../renderer/index.html')).href;
  const window = createMainWindow({ preloadPath: join(here, '../preload/index.cjs'), rendererUrl });
  const detach = attachElectronTransport({ window, rendererUrl, router: services.app.router, hub });
  window.on('closed', detach);
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
