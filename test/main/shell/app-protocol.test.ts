import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { APP_PAGE_URL, createAppProtocolHandler, isAppPage, isAppUrl } from '../../../main/shell/app-protocol';
import { contentSecurityPolicy } from '../../../main/renderer-host/content-security-policy';

const scratch = mkdtempSync(join(tmpdir(), 'app-protocol-'));
const rendererDir = join(scratch, 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
writeFileSync(join(rendererDir, 'assets', 'index.js'), 'console.log(1)');
writeFileSync(join(scratch, 'secret.txt'), 'not for the page');
mkdirSync(join(scratch, 'elsewhere'));
writeFileSync(join(scratch, 'elsewhere', 'x.js'), 'not for the page either');
// Links inside the renderer folder: to a file outside, to a folder outside, and to a file inside.
symlinkSync(join(scratch, 'secret.txt'), join(rendererDir, 'linked.txt'));
symlinkSync(join(scratch, 'elsewhere'), join(rendererDir, 'linked-folder'));
symlinkSync(join(rendererDir, 'index.html'), join(rendererDir, 'inside-link.html'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const handle = createAppProtocolHandler(rendererDir);

describe('app://renderer/ serves the built renderer and nothing else', () => {
  test('the page and its assets come with their type and the one CSP', async () => {
    const page = await handle(new Request(APP_PAGE_URL));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>app</title>');
    const script = await handle(new Request('app://renderer/assets/index.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  test.each([
    'app://renderer/../secret.txt',
    'app://renderer/%2e%2e/secret.txt',
    'app://renderer/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://renderer/%00index.html',
    'app://renderer/%E0%A4%A',
    'app://renderer/missing.js',
    'app://renderer/assets',
    'app://elsewhere/index.html',
    'app://renderer/linked.txt',
    'app://renderer/linked-folder/x.js',
    'app://renderer/inside-link.html',
  ])('%s is not found', async (url) => {
    const response = await handle(new Request(url));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('not for the page');
  });

  test('only GET and HEAD are answered', async () => {
    expect((await handle(new Request(APP_PAGE_URL, { method: 'POST', body: 'x' }))).status).toBe(405);
    const head = await handle(new Request(APP_PAGE_URL, { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe("which URLs are the app's own page", () => {
  test('with the packaged renderer, only app://renderer/ pages', () => {
    expect(isAppUrl(APP_PAGE_URL)).toBe(true);
    expect(isAppPage('app://renderer/index.html#x', APP_PAGE_URL)).toBe(true);
    // Node gives every custom scheme the origin "null": comparing origins would accept these.
    expect(isAppPage('app://evil/index.html', APP_PAGE_URL)).toBe(false);
    expect(isAppPage('other://renderer/index.html', APP_PAGE_URL)).toBe(false);
    expect(isAppPage('file:///etc/passwd', APP_PAGE_URL)).toBe(false);
    expect(isAppPage('https://example.com/', APP_PAGE_URL)).toBe(false);
    expect(isAppPage(undefined, APP_PAGE_URL)).toBe(false);
    expect(isAppPage('not a url', APP_PAGE_URL)).toBe(false);
  });

  test('under electron-vite dev, the dev server origin only', () => {
    const dev = 'http://localhost:5173/';
    expect(isAppPage('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isAppPage('http://localhost:5174/', dev)).toBe(false);
    expect(isAppPage(APP_PAGE_URL, dev)).toBe(false);
  });
});
