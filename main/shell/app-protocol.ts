// The renderer's origin in Electron: a custom privileged scheme, app://renderer/, instead of file://
// (Electron's security checklist: a file:// page can read any file its origin rules let it; a
// standard, secure custom scheme gets a real origin of its own and serves only the renderer's folder).
// Electron-free: the handler takes a fetch Request and returns a Response, as protocol.handle wants.
import { readFile } from 'node:fs/promises';
import { contentSecurityPolicy } from '../renderer-host/content-security-policy';
import { contentTypeOf, RENDERER_HEADERS, rendererFile } from '../renderer-host/renderer-files';

export const APP_SCHEME = 'app';
const APP_HOST = 'renderer';
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Privileges for protocol.registerSchemesAsPrivileged: standard + secure so the page has an origin. */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, codeCache: true } as const;

/**
 * Whether `url` is a page of the app. Node's URL gives custom schemes the origin "null", so the
 * scheme and host are compared, never origins.
 */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * Whether a frame or navigation URL is the app's own page: app://renderer/ when packaged or built,
 * or the renderer's dev server (an http origin) under `electron-vite dev`.
 */
export function isAppPage(url: string | undefined, rendererUrl: string): boolean {
  if (url === undefined) return false;
  if (isAppUrl(rendererUrl)) return isAppUrl(url);
  try {
    const renderer = new URL(rendererUrl);
    return renderer.protocol === 'http:' && new URL(url).origin === renderer.origin;
  } catch {
    return false;
  }
}

export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const csp = contentSecurityPolicy();
  return async (request) => {
    const text = (status: number, body: string) => new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method not allowed');
    if (!isAppUrl(request.url)) return text(404, 'Not found');
    const file = rendererFile(rendererDir, new URL(request.url).pathname);
    if (file === undefined) return text(404, 'Not found');
    const headers = { 'Content-Type': contentTypeOf(file), 'Content-Security-Policy': csp, ...RENDERER_HEADERS };
    return new Response(request.method === 'HEAD' ? null : await readFile(file), { status: 200, headers });
  };
}
