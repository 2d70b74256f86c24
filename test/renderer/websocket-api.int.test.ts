// The browser host's window.api in Chromium, against the real host: a request the host must refuse
// (over 1 MiB) costs the page its connection, and the page dials again on its own and carries on.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createEventHub } from '../../main/ipc/event-hub';
import { createRouter } from '../../main/ipc/router';
import { startWebHost, type RunningWebHost } from '../../main/web-host/start-web-host';
import type { SessionView } from '../../shared/ipc-contract';
import { launchChromium } from '../support/chromium';

const signedOut: SessionView = { state: 'signedOut' };
let dir: string;
let host: RunningWebHost;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'websocket-api-'));
  // Only the module under test, bundled for the page; the rest of the renderer is not needed.
  await build({
    entryPoints: [fileURLToPath(new URL('../../renderer/src/websocket-api.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    globalName: 'websocketApi',
    outfile: join(dir, 'websocket-api.js'),
    logLevel: 'silent',
  });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>api</title><script src="/websocket-api.js"></script>');
  const handlers = {
    'session.get': async () => signedOut,
    'session.signIn': async () => signedOut,
    'session.cancelSignIn': async () => signedOut,
    'session.signOut': async () => signedOut,
  };
  const router = createRouter(handlers as Partial<Parameters<typeof createRouter>[0]> as Parameters<typeof createRouter>[0], () => ({ code: 'INTERNAL', message: 'x' }), () => false);
  host = await startWebHost({ router, hub: createEventHub(), staticDir: dir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('after the host closes its connection for an oversize request, the page reconnects and its next call is answered', async () => {
  const page = await browser.newPage();
  await page.goto(host.url);
  const outcome = await page.evaluate(async () => {
    const api = (window as unknown as { websocketApi: { createWebSocketApi(): { call(command: string, input: unknown): Promise<unknown> } } })
      .websocketApi.createWebSocketApi();
    const before = await api.call('session.get', {});
    const oversize = await api.call('session.get', { padding: 'x'.repeat(1024 * 1024 + 1) });
    // The page dials again by itself; poll as a user clicking again would.
    let after: unknown = oversize;
    for (let attempt = 0; attempt < 100 && (after as { ok?: boolean }).ok !== true; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await api.call('session.get', {});
    }
    return { before, oversize, after };
  });
  expect(outcome.before).toEqual({ ok: true, value: signedOut });
  expect(outcome.oversize).toMatchObject({ ok: false, error: { code: 'HOST_DISCONNECTED' } });
  expect(outcome.after).toEqual({ ok: true, value: signedOut });
  await page.close();
});
