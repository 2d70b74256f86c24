// Every localcloud server listens on 127.0.0.1 only. With a data dir, the port a server got the
// first time is kept, because the issuer, the Logins key and the endpoints are derived from it.
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalCloudError } from './local-cloud-error';
import type { StateStore } from './state-store';

export const HOST = '127.0.0.1';

export function listen(server: Server, port: number, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(
        error.code === 'EADDRINUSE'
          ? new LocalCloudError(
              'PORT_IN_USE',
              `${what} cannot listen on ${HOST}:${port}: the port is taken. Stop whatever uses it, or start localcloud with a new --data-dir (the kept port is part of the issuer and the endpoints).`,
            )
          : error,
      );
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, HOST);
  });
}

type PortMap = Record<string, number>;

/** The port kept for `name` in the data dir, or 0 (any free port) the first time. */
export function keptPort(store: StateStore, name: string): number {
  return store.read<PortMap>('ports')?.[name] ?? 0;
}

export function keepPort(store: StateStore, name: string, port: number): void {
  if (store.dir === undefined) return;
  store.write('ports', { ...store.read<PortMap>('ports'), [name]: port });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** The whole body, or undefined once it exceeds `limit` bytes (the rest is drained unread). */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    if (Number(request.headers['content-length'] ?? 0) > limit) {
      request.resume();
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      request.resume();
      resolve(undefined);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}
