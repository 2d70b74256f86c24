// Serves the built renderer to the browser host: regular files under one folder only — a symlink
// in it is not followed, whatever it points at — with the same CSP the Electron window gets (plus
// the WebSocket the page talks to the host through).
import { closeSync, constants, createReadStream, fstatSync, openSync, realpathSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { contentSecurityPolicy } from '../renderer-host/content-security-policy';
import { contentTypeOf, RENDERER_HEADERS, rendererFile } from '../renderer-host/renderer-files';

/** The Host header names this server's own origin (`127.0.0.1:PORT`), not a name that resolved to it. */
export function isOwnHost(request: IncomingMessage, origin: string): boolean {
  return origin !== '' && request.headers.host === new URL(origin).host;
}

/**
 * An open descriptor of `file` when it is a regular file reached under `root` without a symlink
 * (the root itself may be one); undefined otherwise. Opened with O_NOFOLLOW and checked with fstat,
 * so a file swapped for a symlink after the check is not followed either.
 */
export function openRegularFileUnder(root: string, file: string): number | undefined {
  let fd: number | undefined;
  try {
    const realRoot = realpathSync(root);
    const lexical = resolve(realRoot, relative(resolve(root), file));
    if (!lexical.startsWith(realRoot + sep) || realpathSync(file) !== lexical) return undefined;
    fd = openSync(lexical, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    if (!fstatSync(fd).isFile()) throw new Error('not a regular file');
    return fd;
  } catch {
    if (fd !== undefined) closeSync(fd);
    return undefined;
  }
}

export function serveStatic(root: string, origin: () => string) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const send = (status: number, text: string) => {
      response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
    };
    // A DNS-rebinding page reaches this port under its own host name; only our own address is served.
    if (!isOwnHost(request, origin())) return send(421, 'This host serves only its own address.');
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'Method not allowed');
    const file = rendererFile(root, new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const fd = file === undefined ? undefined : openRegularFileUnder(root, file);
    if (file === undefined || fd === undefined) return send(404, 'Not found');
    response.writeHead(200, {
      'Content-Type': contentTypeOf(file),
      'Content-Security-Policy': contentSecurityPolicy({ connect: [origin().replace(/^http/, 'ws')] }),
      ...RENDERER_HEADERS,
    });
    if (request.method === 'HEAD') {
      closeSync(fd);
      return response.end();
    }
    // pipeline closes the file however the response ends (a peer that goes away mid-file included).
    pipeline(createReadStream('', { fd }), response, () => undefined);
  };
}
