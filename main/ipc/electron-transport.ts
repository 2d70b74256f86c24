// The Electron transport: the router behind ipcMain, answering only the app's own window and page.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../shared/ipc-channels';
import type { EventHub } from './event-hub';
import type { Router } from './router';

/** The page the app loads is either its dev server (an http origin) or its file:// index.html. */
export function isAppPage(frameUrl: string | undefined, rendererUrl: string): boolean {
  if (frameUrl === undefined) return false;
  const frame = new URL(frameUrl);
  const renderer = new URL(rendererUrl);
  return renderer.protocol === 'file:' ? frame.href.split('#')[0] === renderer.href : frame.origin === renderer.origin;
}

export function attachElectronTransport(options: { window: BrowserWindow; rendererUrl: string; router: Router; hub: EventHub }): () => void {
  const { window, rendererUrl, router, hub } = options;
  const trusted = (event: IpcMainInvokeEvent) =>
    event.sender.id === window.webContents.id && isAppPage(event.senderFrame?.url, rendererUrl);
  ipcMain.handle(CALL_CHANNEL, (event, command: unknown, input: unknown) => {
    if (!trusted(event)) {
      return { ok: false, error: { code: 'IPC_UNTRUSTED_SENDER', message: 'Refused a request from a page that is not the app.' } };
    }
    return router.dispatch(command, input);
  });
  const unsubscribe = hub.subscribe((event, payload) => {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(CALL_CHANNEL);
  };
}
