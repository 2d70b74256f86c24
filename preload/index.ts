// Exposes exactly shared/ipc-contract.ts's Api as window.api: two channels, no Node, no ipcRenderer.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Api, EventName } from '../shared/ipc-contract';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../shared/ipc-channels';

const api: Api = {
  call: (command, input) => ipcRenderer.invoke(CALL_CHANNEL, command, input),
  on: (event, listener) => {
    const forward = (_event: IpcRendererEvent, name: EventName, payload: unknown) => {
      if (name === event) (listener as (payload: unknown) => void)(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => void ipcRenderer.off(EVENT_CHANNEL, forward);
  },
  // main/shell/downloads.ts asks where to save each export and tells how it ended.
  savesDownloads: true,
};

contextBridge.exposeInMainWorld('api', api);
