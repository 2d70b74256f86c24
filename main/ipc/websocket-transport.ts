// The browser host's transport: the same router over a WebSocket bound to 127.0.0.1, open only to
// a page that presents this run's random token and comes from the host's own origin.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { EventHub } from './event-hub';
import type { Router } from './router';

export const IPC_PATH = '/ipc';
const MAX_MESSAGE_BYTES = 1024 * 1024;

// A request without an input is a command that takes none (the router reads it as {}).
const requestSchema = z.object({ id: z.number().int().nonnegative(), command: z.string(), input: z.unknown().optional() });

function sameSecret(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function isAllowedUpgrade(request: IncomingMessage, token: string, origin: string): boolean {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  return (
    url.pathname === IPC_PATH &&
    request.headers.origin === origin &&
    request.headers.host === new URL(origin).host &&
    sameSecret(url.searchParams.get('token'), token)
  );
}

export function attachWebSocketTransport(options: {
  server: Server;
  router: Router;
  hub: EventHub;
  token: string;
  origin: () => string;
}): { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  options.server.on('upgrade', (request, socket, head) => {
    // A peer that resets its socket mid-handshake must not take the host down either.
    socket.on('error', () => socket.destroy());
    if (!isAllowedUpgrade(request, options.token, options.origin())) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => serve(ws));
  });

  const serve = (ws: WebSocket) => {
    // A frame over maxPayload or a text frame that is not UTF-8 makes ws send its close frame (1009,
    // 1007) and emit 'error'; unheard, that error would end the whole host and every connection with it.
    ws.on('error', () => undefined);
    const unsubscribe = options.hub.subscribe((event, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
    });
    ws.on('close', unsubscribe);
    ws.on('message', (data, isBinary) => {
      let request: z.infer<typeof requestSchema>;
      try {
        if (isBinary) throw new Error('binary');
        request = requestSchema.parse(JSON.parse(data.toString()));
      } catch {
        ws.close(1003, 'malformed message');
        return;
      }
      void options.router.dispatch(request.command, request.input).then((result) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: request.id, result }));
      });
    });
  };

  return {
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
