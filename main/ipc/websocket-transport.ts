// The browser host's transport: the same router over a WebSocket bound to 127.0.0.1, open only to
// a page that presents this run's random token and comes from the host's own origin.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { AppErrorView } from '../../shared/ipc-contract';
import { silentLogger, type Logger } from '../platform/log';
import { encodeAnswer, encodeBounded } from './answer-size';
import type { EventHub } from './event-hub';
import type { Router } from './router';

export const IPC_PATH = '/ipc';
const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * What one connection may ask of the host at once. A page never has more than a handful of requests
 * open; a connection past these bounds is answered TOO_BUSY at once (without running anything), so
 * one flooding connection cannot hold up another's requests, nor fill the host's memory with
 * answers it does not read.
 */
export interface ConnectionLimits {
  /** Requests dispatched and not yet answered. */
  maxInFlight: number;
  /** Bytes of answers and events sent and not yet taken by the peer: past this, requests are refused. */
  maxQueuedBytes: number;
  /** Past this the peer is not reading at all: the connection is dropped (the page dials again). */
  dropQueuedBytes: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = Object.freeze({
  maxInFlight: 32,
  maxQueuedBytes: 32 * 1024 * 1024,
  dropQueuedBytes: 128 * 1024 * 1024,
});

export const TOO_BUSY: AppErrorView = {
  code: 'TOO_BUSY',
  message: 'The app is still working on many earlier requests from this page, so it did not take this one. Wait a moment and try again.',
};

const INTERNAL: AppErrorView = {
  code: 'INTERNAL',
  message: 'Something went wrong inside the app. Try again; if it keeps happening, restart the app.',
};

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
  limits?: Partial<ConnectionLimits>;
  log?: Logger;
}): { close(): Promise<void> } {
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
  const log = options.log ?? silentLogger;
  // One message per turn of the event loop: a connection that pipelines thousands of requests (read
  // from its socket in one go) cannot keep another connection's request waiting behind all of them.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, allowSynchronousEvents: false });
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
    let inFlight = 0;
    const send = (text: string) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount + text.length > limits.dropQueuedBytes) {
        log.warn('dropped a browser connection that does not read its answers', { queuedBytes: ws.bufferedAmount });
        ws.terminate();
        return;
      }
      ws.send(text);
    };
    const unsubscribe = options.hub.subscribe((event, payload) => {
      const text = encodeBounded({ event, payload });
      if (text !== undefined) send(text);
      else log.error('an event was too large to send', { event });
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
      if (inFlight >= limits.maxInFlight || ws.bufferedAmount > limits.maxQueuedBytes) {
        send(encodeAnswer(request.id, { ok: false, error: TOO_BUSY }));
        return;
      }
      inFlight += 1;
      options.router
        .dispatch(request.command, request.input)
        .catch((error: unknown) => {
          // The router answers every failure itself; this is the guard behind it, never a crash.
          log.error('a request failed outside the router', { error });
          return { ok: false as const, error: INTERNAL };
        })
        .then((result) => {
          inFlight -= 1;
          send(encodeAnswer(request.id, result));
        })
        .catch((error: unknown) => log.error('an answer could not be sent', { error }));
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
