import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEventHub } from '../../../main/ipc/event-hub';
import { createRouter, type Handlers } from '../../../main/ipc/router';
import { startWebHost, type RunningWebHost } from '../../../main/web-host/start-web-host';
import type { SessionView } from '../../../shared/ipc-contract';

const signedOut: SessionView = { state: 'signedOut' };
let host: RunningWebHost;
let dir: string;
const hub = createEventHub();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'web-host-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(tmpdir(), 'outside-secret.txt'), 'secret');
  const router = createRouter(
    {
      'session.get': async () => signedOut,
      'session.signIn': async () => signedOut,
      'session.cancelSignIn': async () => signedOut,
      'session.signOut': async () => signedOut,
    } as Partial<Handlers> as Handlers,
    () => ({ code: 'INTERNAL', message: 'x' }),
    () => false,
  );
  host = await startWebHost({ router, hub, staticDir: dir });
});

afterAll(async () => {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
});

const token = () => new URL(host.url).hash.replace('#token=', '');

function connect(query: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/ipc${query}`, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function next(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
}

describe('browser host', () => {
  it('listens on loopback only and serves the page with a strict CSP', async () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${host.origin}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await response.text()).toContain('<title>app</title>');
  });

  it('serves nothing outside the renderer folder', async () => {
    for (const path of ['/../outside-secret.txt', '/%2e%2e/outside-secret.txt', '/..%2foutside-secret.txt']) {
      const response = await fetch(`${host.origin}${path}`);
      expect(response.status).toBe(404);
    }
  });

  it('refuses a WebSocket without the token, with a wrong token, or from another origin', async () => {
    await expect(connect('', host.origin)).rejects.toThrow(/403/);
    await expect(connect('?token=wrong', host.origin)).rejects.toThrow(/403/);
    await expect(connect(`?token=${token()}`, 'http://evil.example')).rejects.toThrow(/403/);
  });

  it('answers commands and pushes events to a page with the token and the right origin', async () => {
    const ws = await connect(`?token=${token()}`, host.origin);
    const reply = next(ws);
    ws.send(JSON.stringify({ id: 7, command: 'session.get', input: {} }));
    expect(await reply).toEqual({ id: 7, result: { ok: true, value: signedOut } });
    const event = next(ws);
    hub.emit('notice', { code: 'KEYCHAIN_UNAVAILABLE', message: 'm' });
    expect(await event).toEqual({ event: 'notice', payload: { code: 'KEYCHAIN_UNAVAILABLE', message: 'm' } });
    ws.close();
  });

  it('closes a connection that sends something that is not a request', async () => {
    const ws = await connect(`?token=${token()}`, host.origin);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('not json');
    expect(await closed).toBe(1003);
  });

  it('closes a connection that sends a frame over 1 MiB with 1009, and keeps serving the others', async () => {
    const bystander = await connect(`?token=${token()}`, host.origin);
    const ws = await connect(`?token=${token()}`, host.origin);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(1024 * 1024 + 1));
    expect(await closed).toBe(1009);
    const reply = next(bystander);
    bystander.send(JSON.stringify({ id: 1, command: 'session.get', input: {} }));
    expect(await reply).toEqual({ id: 1, result: { ok: true, value: signedOut } });
    bystander.close();
    const again = await connect(`?token=${token()}`, host.origin);
    again.close();
  });

  it('closes a connection that sends a text frame that is not UTF-8 with 1007, and keeps serving', async () => {
    const ws = await connect(`?token=${token()}`, host.origin);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(await closed).toBe(1007);
    expect((await fetch(`${host.origin}/`)).status).toBe(200);
  });

  it('refuses a request that names another host, as a DNS-rebinding page would', async () => {
    const port = new URL(host.origin).port;
    const statusFor = (hostHeader: string) =>
      new Promise<number>((resolve, reject) => {
        const request = httpRequest({ host: '127.0.0.1', port, path: '/', headers: { host: hostHeader } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.once('error', reject);
        request.end();
      });
    expect(await statusFor(`rebind.example:${port}`)).toBe(421);
    expect(await statusFor(`localhost.evil.example:${port}`)).toBe(421);
    expect(await statusFor(`127.0.0.1:${port}`)).toBe(200);
  });

  it('refuses a WebSocket upgrade that names another host, even with the token and the right Origin', async () => {
    const rebound = new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/ipc?token=${token()}`, {
        origin: host.origin,
        headers: { host: `rebind.example:${new URL(host.origin).port}` },
      });
      ws.once('open', () => reject(new Error('opened')));
      ws.once('error', (error) => (/403/.test(error.message) ? resolve() : reject(error)));
    });
    await rebound;
  });
});
