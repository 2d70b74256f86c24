// The bridge as a page uses it, from a benchmark: the browser host's WebSocket with the token the
// page presents, commands answered by id and events as they come.
import WebSocket from 'ws';
import type { SignedInWebHost } from './signed-in-web-host';

export interface BridgeResult {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message?: string };
}

export interface BridgeClient {
  call(command: string, input: unknown): Promise<BridgeResult>;
  /** Calls `listener` with every event the host sends; returns the unsubscribe. */
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
  close(): void;
}

export async function openBridge(running: Pick<SignedInWebHost, 'host' | 'token'>): Promise<BridgeClient> {
  const { origin } = running.host;
  const socket = await new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/ipc?token=${running.token}`, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
  const waiting = new Map<number, (result: BridgeResult) => void>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: BridgeResult; event?: string; payload?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result!);
    else if (message.event !== undefined) for (const listener of listeners) listener(message.event, message.payload);
  });
  let nextId = 0;
  return {
    call: (command, input) =>
      new Promise<BridgeResult>((resolve) => {
        const id = nextId++;
        waiting.set(id, (result) => {
          waiting.delete(id);
          resolve(result);
        });
        socket.send(JSON.stringify({ id, command, input }));
      }),
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close: () => socket.close(),
  };
}
