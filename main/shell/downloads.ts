// Downloads in the window: only the page's own exports (a blob: URL the app's page made), each
// saved where the person chooses in the save dialog, and its end told to the page (download.done)
// so that "Exported…" is said only of a file that was written — a cancelled dialog says nothing.
// Any other download is cancelled before it starts. Electron-free, so a test can drive it with a
// stand-in download item (the Electron binary cannot run there); window.ts wires it to the session.
import { basename, join } from 'node:path';
import type { EventPayload } from '../../shared/ipc-contract';
import { isAppPage } from './app-protocol';

export type DownloadDone = EventPayload<'download.done'>;

/** The part of Electron's DownloadItem this uses. */
export interface DownloadItemLike {
  getURL(): string;
  getFilename(): string;
  getSavePath(): string;
  setSaveDialogOptions(options: { title?: string; defaultPath?: string; filters?: { name: string; extensions: string[] }[] }): void;
  cancel(): void;
  once(event: 'done', listener: (event: unknown, state: 'completed' | 'cancelled' | 'interrupted') => void): unknown;
}

export interface DownloadsOptions {
  /** The URL the window's page is loaded from (app://renderer/index.html, or the dev server's). */
  rendererUrl: string;
  /** Where the save dialog starts (the user's Downloads folder). */
  defaultDir: string;
  /** Tells the page how its download ended. */
  done(payload: DownloadDone): void;
}

/** Whether `url` is a blob the app's own page made (`blob:<the page's origin>/<uuid>`). */
export function isOwnBlob(url: string, rendererUrl: string): boolean {
  if (!url.startsWith('blob:')) return false;
  const inner = url.slice('blob:'.length);
  // A blob URL is its creator's origin and a UUID: nothing after the UUID, no credentials, no query.
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#@]+)\/[0-9a-f-]{36}$/i.exec(inner);
  return match !== null && isAppPage(`${match[1]}/`, rendererUrl);
}

/** The handler for the session's `will-download`: takes the page's exports, cancels anything else. */
export function followDownloads(options: DownloadsOptions): (item: DownloadItemLike) => void {
  return (item) => {
    const url = item.getURL();
    if (!isOwnBlob(url, options.rendererUrl)) {
      item.cancel();
      return;
    }
    const suggested = item.getFilename();
    item.setSaveDialogOptions({
      title: 'Export records',
      defaultPath: join(options.defaultDir, suggested),
      filters: [{ name: 'JSON', extensions: ['json'] }],
    });
    item.once('done', (_event, state) => {
      const savePath = item.getSavePath();
      options.done({
        url,
        fileName: state === 'completed' && savePath !== '' ? basename(savePath) : suggested,
        outcome: state === 'completed' ? 'saved' : state === 'cancelled' ? 'cancelled' : 'failed',
      });
    });
  };
}
