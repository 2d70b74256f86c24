/** The two Electron IPC channels the preload and the main process share. */
export const CALL_CHANNEL = 'api:call';
export const EVENT_CHANNEL = 'api:event';
