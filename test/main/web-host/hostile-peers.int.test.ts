// The browser host against peers that ask too much (issue 13): per-connection bounds on requests in
// flight and on answers queued, answers too large to send, a router that fails outright, a symlink
// in the renderer folder, and a rejection nobody handles — each met with a typed answer (or a
// dropped connection) while the host and its other connections keep serving.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEventHub } from '../../../main/ipc/event-hub';
import type { Router } from '../../../main/ipc/router';
import { startWebHost, type RunningWebHost } from '../../../main/web-host/start-web-host';
import { ANSWER_MAX_BYTES } from '../../../shared/ipc-contract';

const LIMITS = { maxInFlight: 4, maxQueuedBytes: 2 * 1024 * 1024, dropQueuedBytes: 16 * 1024 * 1024 };

let host: RunningWebHost;
let dir: string;
let outside: string;
const held: (() => void)[] = [];
const big = 'x'.repeat(1024 * 1024);

// A router standing in for the app's: commands named for what they make the host do.
const router: Router = {
  dispatch: async (command) => {
    switch (command) {
      case 'hold':
        await new Promise<void>((resolve) => held.push(resolve));
        return { ok: true, value: 'released' } as never;
      case 'oneMiB':
        return { ok: true, value: big } as never;
      case 'tooLarge':
        return { ok: true, value: 'y'.repeat(ANSWER_MAX_BYTES + 1) } as never;
      case 'cyclic': {
        const value: Record<string, unknown> = {};
        value.self = value;
        return { ok: true, value } as never;
      }
      case 'throws':
        throw new Error('the router itself failed');
      default:
        return { ok: true, value: 'pong' } as never;
    }
  },
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hostile-peers-'));
  outside = mkdtempSync(join(tmpdir(), 'hostile-peers-outside-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(outside, 'secret.txt'), 'secret outside the renderer folder');
  mkdirSync(join(outside, 'folder'));
  writeFileSync(join(outside, 'folder', 'inner.js'), 'secret');
  symlinkSync(join(outside, 'secret.txt'), join(dir, 'linked.txt'));
  symlinkSync(join(outside, 'folder'), join(dir, 'assets'));
  symlinkSync(join(dir, 'index.html'), join(dir, 'inside-link.html'));
  host = await startWebHost({ router, hub: createEventHub(), staticDir: dir, limits: LIMITS });
});

afterAll(async () => {
  for (const release of held.splice(0)) release();
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

type Message = { id: number; result: { ok: boolean; value?: unknown; error?: { code: string; message: string } } };

function connect(): Promise<WebSocket> {
  const token = new URL(host.url).hash.replace('#token=', '');
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/ipc?token=${token}`, { origin: host.origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Collects every answer of `ws` by request ID. */
function answers(ws: WebSocket): Map<number, Message> & { wait(id: number): Promise<Message> } {
  const seen = new Map<number, Message>();
  const waiters = new Map<number, (message: Message) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as Message;
    seen.set(message.id, message);
    waiters.get(message.id)?.(message);
  });
  return Object.assign(seen, {
    wait: (id: number) => (seen.has(id) ? Promise.resolve(seen.get(id)!) : new Promise<Message>((resolve) => waiters.set(id, resolve))),
  });
}

const send = (ws: WebSocket, id: number, command: string) => ws.send(JSON.stringify({ id, command, input: {} }));

describe('the browser host against peers that ask too much', () => {
  it('answers TOO_BUSY at once past the requests in flight of one connection, and serves the others meanwhile', async () => {
    const ws = await connect();
    const got = answers(ws);
    for (let id = 1; id <= LIMITS.maxInFlight + 3; id++) send(ws, id, 'hold');
    const busy = await got.wait(LIMITS.maxInFlight + 3);
    expect(busy.result).toMatchObject({ ok: false, error: { code: 'TOO_BUSY' } });
    expect(busy.result.error!.message).toMatch(/Wait a moment and try again/);
    expect(got.get(LIMITS.maxInFlight + 1)?.result.error?.code).toBe('TOO_BUSY');

    const other = await connect();
    const otherGot = answers(other);
    send(other, 1, 'ping');
    expect((await otherGot.wait(1)).result).toEqual({ ok: true, value: 'pong' });

    for (const release of held.splice(0)) release();
    for (let id = 1; id <= LIMITS.maxInFlight; id++) expect((await got.wait(id)).result).toEqual({ ok: true, value: 'released' });
    // Room again once answered.
    send(ws, 100, 'ping');
    expect((await got.wait(100)).result).toEqual({ ok: true, value: 'pong' });
    ws.close();
    other.close();
  });

  it('answers TOO_BUSY while answers the peer has not read pile up, and serves the others meanwhile', async () => {
    const reader = await connect();
    const read = answers(reader);
    reader.pause(); // reads nothing for now: the host's answers queue up on its side
    for (let id = 1; id <= 12; id++) send(reader, id, 'oneMiB');
    const bystander = await connect();
    const bystanderGot = answers(bystander);
    send(bystander, 1, 'ping');
    expect((await bystanderGot.wait(1)).result).toEqual({ ok: true, value: 'pong' });
    reader.resume();
    const results = await Promise.all(Array.from({ length: 12 }, (_, index) => read.wait(index + 1)));
    const codes = results.map((message) => (message.result.ok ? 'ok' : message.result.error!.code));
    expect(codes[0]).toBe('ok');
    expect(codes).toContain('TOO_BUSY');
    expect(new Set(codes)).toEqual(new Set(['ok', 'TOO_BUSY']));
    reader.close();
    bystander.close();
  });

  it('drops a peer that never reads once its queued answers pass the bound, and keeps serving', async () => {
    const strict = await startWebHost({
      router,
      hub: createEventHub(),
      staticDir: dir,
      limits: { maxQueuedBytes: 64 * 1024 * 1024, dropQueuedBytes: 4 * 1024 * 1024 },
    });
    try {
      const token = new URL(strict.url).hash.replace('#token=', '');
      const open = () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`${strict.origin.replace('http', 'ws')}/ipc?token=${token}`, { origin: strict.origin });
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        });
      const ws = await open();
      ws.pause();
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      for (let id = 1; id <= 64; id++) send(ws, id, 'oneMiB');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      ws.resume(); // a paused socket sees the host's close only once it reads again
      await closed;
      const other = await open();
      const got = answers(other);
      send(other, 1, 'ping');
      expect((await got.wait(1)).result).toEqual({ ok: true, value: 'pong' });
      other.close();
    } finally {
      await strict.stop();
    }
  });

  it('sends ANSWER_TOO_LARGE for an answer over the bound or one that cannot be encoded, and INTERNAL when the router fails', async () => {
    const ws = await connect();
    const got = answers(ws);
    send(ws, 1, 'tooLarge');
    send(ws, 2, 'cyclic');
    send(ws, 3, 'throws');
    send(ws, 4, 'ping');
    expect((await got.wait(1)).result).toMatchObject({ ok: false, error: { code: 'ANSWER_TOO_LARGE' } });
    expect((await got.wait(2)).result).toMatchObject({ ok: false, error: { code: 'ANSWER_TOO_LARGE' } });
    expect((await got.wait(3)).result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect((await got.wait(4)).result).toEqual({ ok: true, value: 'pong' });
    ws.close();
  });

  it('serves no file through a symlink in the renderer folder, wherever it points', async () => {
    for (const path of ['/linked.txt', '/assets/inner.js', '/inside-link.html']) {
      const response = await fetch(`${host.origin}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('secret');
    }
    expect((await fetch(`${host.origin}/`)).status).toBe(200);
  });

  it('a rejection nobody handles is logged and the host process keeps running', () => {
    const script = `
      import { createLogger } from './main/platform/log.ts';
      import { keepServingOnUnhandledRejection } from './main/platform/keep-serving.ts';
      keepServingOnUnhandledRejection(createLogger({ write: (line) => process.stdout.write(line + '\\n') }));
      Promise.reject(new RangeError('Invalid string length'));
      setTimeout(() => process.stdout.write('still serving\\n'), 200);
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), encoding: 'utf8', timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('still serving');
    expect(run.stdout).toMatch(/"level":"error".*no handler.*RangeError|RangeError.*no handler/);
  });
});
