// The built renderer's files, as both hosts serve them (the browser host over HTTP, Electron over
// the app:// scheme): only regular files under one folder, reached without a symlink (a link in the
// folder is not followed, wherever it points), with their content type.
import { lstatSync, realpathSync } from 'node:fs';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';

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

/** The file a URL path names under `root`, or undefined when it is outside it, absent or no file. */
export function rendererFile(root: string, urlPathname: string): string | undefined {
  let pathname: string;
  try {
    pathname = decodeURIComponent(urlPathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0')) return undefined;
  const base = resolve(root);
  const file = resolve(join(base, normalize(pathname === '/' ? '/index.html' : pathname)));
  if (!file.startsWith(base + sep)) return undefined;
  try {
    // The root itself may be a link (a build folder linked into place); nothing below it may.
    const realBase = realpathSync(base);
    const expected = resolve(realBase, relative(base, file));
    return lstatSync(file).isFile() && realpathSync(file) === expected ? file : undefined;
  } catch {
    return undefined;
  }
}

export function contentTypeOf(file: string): string {
  return TYPES[extname(file)] ?? 'application/octet-stream';
}

/** Headers every renderer file is sent with, besides its type and the CSP. */
export const RENDERER_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
} as const;
