// Updates for installed builds. electron-updater reads the feed that electron-builder's `publish`
// config writes into the app's resources (app-update.yml), downloads in the background and installs
// on quit, checking the download against the installer's signature. Off when not packaged: a
// development run has no feed and nothing to replace.
import type { Logger } from '../platform/log';

export interface AutoUpdateOptions {
  /** Electron's app.isPackaged. */
  isPackaged: boolean;
  log: Logger;
}

/**
 * Checks the feed once, in the background. Returns whether a check was started. Failures are
 * logged, never thrown: an unreachable update server must not stop the app.
 */
export async function checkForAppUpdates(options: AutoUpdateOptions): Promise<boolean> {
  if (!options.isPackaged) return false;
  const log = options.log.child('auto-update');
  try {
    // Loaded only when packaged: electron-updater needs Electron's runtime. It is CommonJS, so its
    // exports arrive on the default import.
    const { autoUpdater } = (await import('electron-updater')).default;
    autoUpdater.logger = {
      info: (message?: unknown) => log.info(String(message)),
      warn: (message?: unknown) => log.warn(String(message)),
      error: (message?: unknown) => log.error(String(message)),
      debug: (message: string) => log.debug(message),
    };
    autoUpdater.checkForUpdatesAndNotify().catch((error: unknown) => log.warn('update check failed', { error }));
    return true;
  } catch (error) {
    log.warn('updates are unavailable', { error });
    return false;
  }
}
