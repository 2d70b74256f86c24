// The browser host: the built renderer and the router's WebSocket on one 127.0.0.1 origin,
// guarded by a random per-run token and an Origin check.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventHub } from '../ipc/event-hub';
import type { Router } from '../ipc/router';
import { attachWebSocketTransport, type ConnectionLimits } from '../ipc/websocket-transport';
import type { Logger } from '../platform/log';
import { serveStatic } from './static-files';

export interface RunningWebHost {
  /** Open this in a browser: the origin plus the token in the fragment. */
  url: string;
  origin: string;
  stop(): Promise<void>;
}

export async function startWebHost(options: {
  router: Router;
  hub: EventHub;
  staticDir: string;
  port?: number;
  /** Per-connection bounds (tests lower them); DEFAULT_CONNECTION_LIMITS otherwise. */
  limits?: Partial<ConnectionLimits>;
  log?: Logger;
}): Promise<RunningWebHost> {
  const token = randomBytes(32).toString('base64url');
  let origin = '';
  const server = createServer(serveStatic(options.staticDir, () => origin));
  const transport = attachWebSocketTransport({
    server,
    router: options.router,
    hub: options.hub,
    token,
    origin: () => origin,
    limits: options.limits,
    log: options.log,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    stop: async () => {
      await transport.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
