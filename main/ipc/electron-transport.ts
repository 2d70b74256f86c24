// The Electron transport: the router behind ipcMain, answering only the app's own window and page.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../shared/ipc-channels';
import { isAppPage } from '../shell/app-protocol';
import { boundedResult } from './answer-size';
import type { EventHub } from './event-hub';
import type { Router } from './router';

export function attachElectronTransport(options: { window: BrowserWindow; rendererUrl: string; router: Router; hub: EventHub }): () => void {
  const { window, rendererUrl, router, hub } = options;
  const trusted = (event: IpcMainInvokeEvent) =>
    event.sender.id === window.webContents.id && isAppPage(event.senderFrame?.url, rendererUrl);
  ipcMain.handle(CALL_CHANNEL, (event, command: unknown, input: unknown) => {
    if (!trusted(event)) {
      return { ok: false, error: { code: 'IPC_UNTRUSTED_SENDER', message: 'Refused a request from a page that is not the app.' } };
    }
    // No JSON step here, but an answer of hundreds of MB would still be cloned whole: the same bound.
    return router.dispatch(command, input).then((result) => boundedResult(result));
  });
  const unsubscribe = hub.subscribe((event, payload) => {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(CALL_CHANNEL);
  };
}
