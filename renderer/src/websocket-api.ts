// window.api for the browser host: the same contract as the Electron preload, over the host's
// WebSocket. The per-run token arrives in the URL fragment (never sent to a server in a request
// line) and is kept in sessionStorage so a reload of the tab still connects.
import type { Api, CommandName, CommandResult, EventName, EventPayload } from '../../shared/ipc-contract';

const TOKEN_KEY = 'ipc-token';
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 10_000;

function takeToken(): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function createWebSocketApi(): Api {
  const token = takeToken();
  const pending = new Map<number, (result: CommandResult<CommandName>) => void>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  const connectionListeners = new Set<(connected: boolean) => void>();
  let connected = true;
  const setConnected = (up: boolean) => {
    if (up === connected) return;
    connected = up;
    for (const listener of connectionListeners) listener(up);
  };
  const disconnected = (): CommandResult<CommandName> => ({
    ok: false,
    error: token
      ? { code: 'HOST_DISCONNECTED', message: 'The app host is not reachable. Start it again with npm start and open the new link it prints.' }
      : {
          code: 'HOST_LINK_INCOMPLETE',
          message:
            'This link is incomplete: it lacks the #token=… part that lets this page talk to the app. Open the whole URL that npm start (or npm run start:web) printed in its terminal.',
        },
  });
  const url = `${location.origin.replace(/^http/, 'ws')}/ipc?token=${encodeURIComponent(token ?? '')}`;
  let socket: WebSocket;
  let opened: Promise<boolean>;
  let retryMs = RETRY_FIRST_MS;
  // The host closes a connection that breaks the protocol (or restarts); the page dials again,
  // backing off so that a host that is gone for good is not called in a tight loop.
  const connect = () => {
    socket = new WebSocket(url);
    opened = new Promise<boolean>((resolve) => {
      socket.addEventListener('open', () => resolve(true));
      socket.addEventListener('close', () => resolve(false));
    });
    socket.addEventListener('open', () => {
      retryMs = RETRY_FIRST_MS;
      setConnected(true);
    });
    socket.addEventListener('message', (message) => {
      const data = JSON.parse(String(message.data)) as { id?: number; result?: CommandResult<CommandName>; event?: EventName; payload?: unknown };
      if (data.id !== undefined && data.result) {
        pending.get(data.id)?.(data.result);
        pending.delete(data.id);
      } else if (data.event) {
        for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
      }
    });
    socket.addEventListener('close', () => {
      // Without a token the host refuses every dial: the page says why once, without retrying.
      if (!token) return;
      setConnected(false);
      for (const resolve of pending.values()) resolve(disconnected());
      pending.clear();
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    });
  };
  connect();
  return {
    async call(command, input) {
      if (!(await opened) || socket.readyState !== WebSocket.OPEN) return disconnected() as never;
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (result: CommandResult<CommandName>) => void);
        socket.send(JSON.stringify({ id, command, input }));
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: unknown) => void);
      return () => void set.delete(listener as (payload: unknown) => void);
    },
    onConnectionChange(listener) {
      connectionListeners.add(listener);
      return () => void connectionListeners.delete(listener);
    },
  };
}
