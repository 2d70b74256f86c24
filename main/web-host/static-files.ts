// Serves the built renderer to the browser host: files under one folder only, with the same CSP
// the Electron window gets (plus the WebSocket the page talks to the host through).
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { contentSecurityPolicy } from '../content-security-policy';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The Host header names this server's own origin (`127.0.0.1:PORT`), not a name that resolved to it. */
export function isOwnHost(request: IncomingMessage, origin: string): boolean {
  return origin !== '' && request.headers.host === new URL(origin).host;
}

export function serveStatic(root: string, origin: () => string) {
  const base = resolve(root);
  return (request: IncomingMessage, response: ServerResponse) => {
    const send = (status: number, text: string) => {
      response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
    };
    // A DNS-rebinding page reaches this port under its own host name; only our own address is served.
    if (!isOwnHost(request, origin())) return send(421, 'This host serves only its own address.');
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'Method not allowed');
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      return send(400, 'Bad path');
    }
    const file = resolve(join(base, normalize(pathname === '/' ? '/index.html' : pathname)));
    if (file !== base && !file.startsWith(base + sep)) return send(404, 'Not found');
    if (!existsSync(file) || !statSync(file).isFile()) return send(404, 'Not found');
    response.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': contentSecurityPolicy({ connect: [origin().replace(/^http/, 'ws')] }),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    if (request.method === 'HEAD') return response.end();
    createReadStream(file).pipe(response);
  };
}
