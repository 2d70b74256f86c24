// Serves the built renderer to the browser host: files under one folder only, with the same CSP
// the Electron window gets (plus the WebSocket the page talks to the host through).
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentSecurityPolicy } from '../content-security-policy';
import { contentTypeOf, RENDERER_HEADERS, rendererFile } from '../renderer-files';

/** The Host header names this server's own origin (`127.0.0.1:PORT`), not a name that resolved to it. */
export function isOwnHost(request: IncomingMessage, origin: string): boolean {
  return origin !== '' && request.headers.host === new URL(origin).host;
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
    if (file === undefined) return send(404, 'Not found');
    response.writeHead(200, {
      'Content-Type': contentTypeOf(file),
      'Content-Security-Policy': contentSecurityPolicy({ connect: [origin().replace(/^http/, 'ws')] }),
      ...RENDERER_HEADERS,
    });
    if (request.method === 'HEAD') return response.end();
    createReadStream(file).pipe(response);
  };
}
