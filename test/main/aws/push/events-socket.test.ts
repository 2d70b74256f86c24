// What the push channel does with a server that misbehaves, played by a scripted WebSocket server
// (the real stand-in never sends garbage): it ignores what it cannot read, gives up on a link that
// does not answer, and reports refusals with a code, without ever logging a secret.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createPushChannel, reconnectDelay, type PushRuntime } from '../../../../main/aws/push/events-socket';
import { parseServerMessage } from '../../../../main/aws/push/events-messages';
import type { PushChannel, PushState } from '../../../../main/aws/push/push-channel';
import { createLogger } from '../../../../main/platform/log';
import { AppError } from '../../../../shared/errors';
import { failure } from '../../../support/app-error';

const credentials = {
  accessKeyId: 'ASIAUNITTEST00000001',
  secretAccessKey: 'unit-test-secret-key-0123456789abcdefABCD',
  sessionToken: 'unit-test-session-token-0123456789abcdefABCDEF',
  expiration: new Date(Date.now() + 3600_000),
};

type Script = (socket: WebSocket, message: { type: string; id?: string; [key: string]: unknown }) => void;

const servers: WebSocketServer[] = [];
const channels: PushChannel[] = [];

afterEach(async () => {
  await Promise.all(channels.splice(0).map((channel) => channel.stop()));
  for (const server of servers.splice(0)) {
    for (const client of server.clients) client.terminate();
    server.close();
  }
});

/** A fake Events endpoint that answers each client message with `script`; counts its connections. */
async function fakeServer(script: Script) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (protocols) => (protocols.has('aws-appsync-event-ws') ? 'aws-appsync-event-ws' : false) });
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  const seen = { connections: 0, messages: [] as { type: string }[] };
  server.on('connection', (socket) => {
    seen.connections += 1;
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Parameters<Script>[1];
      seen.messages.push(message);
      script(socket, message);
    });
  });
  return { port, seen };
}

function channelTo(port: number, runtime: PushRuntime = {}, credentialsProvider = async () => credentials) {
  const events: string[] = [];
  const states: { state: PushState; code?: string }[] = [];
  const lines: string[] = [];
  const channel = createPushChannel(
    {
      realtimeEndpoint: `ws://127.0.0.1:${port}/event/realtime`,
      httpEndpoint: `http://127.0.0.1:${port}/event`,
      region: 'us-east-1',
      channel: '/sync/11111111-1111-4111-8111-111111111111',
      credentials: credentialsProvider,
      onEvent: (event) => events.push(event),
      onState: (state, detail) => states.push({ state, code: detail?.code }),
      log: createLogger({ write: (line) => lines.push(line), level: 'debug' }),
      backoff: { firstMs: 20, maxMs: 100 },
    },
    { closeTimeoutMs: 100, ...runtime },
  );
  channels.push(channel);
  channel.start();
  return { channel, events, states, lines };
}

const send = (socket: WebSocket, message: unknown) => socket.send(typeof message === 'string' ? message : JSON.stringify(message));
const acknowledging: Script = (socket, message) => {
  if (message.type === 'connection_init') send(socket, { type: 'connection_ack', connectionTimeoutMs: 60_000 });
  if (message.type === 'subscribe') send(socket, { type: 'subscribe_success', id: message.id });
};

describe('a server that sends what it should not', () => {
  test('garbage, unknown types and malformed messages are ignored; the channel stays subscribed and delivers', async () => {
    const { port } = await fakeServer((socket, message) => {
      if (message.type === 'connection_init') send(socket, { type: 'connection_ack' });
      if (message.type !== 'subscribe') return;
      for (const junk of ['not json', 'null', '[]', '{"type":"surprise"}', '{"type":"data"}', '{"type":"subscribe_success","id":42}', '{"type":"ka","extra":{"deep":[1,2]}}']) send(socket, junk);
      send(socket, { type: 'data', id: 'someone-else', event: '"not mine"' });
      send(socket, { type: 'subscribe_success', id: message.id });
      send(socket, { type: 'data', id: message.id, event: ['{"a":1}', '{"b":2}'] });
      send(socket, { type: 'data', id: message.id, event: '{"c":3}' });
    });
    const watched = channelTo(port);
    await expect.poll(() => watched.events).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    expect(watched.channel.state()).toBe('subscribed');
    expect(watched.states.map((each) => each.state)).toEqual(['connecting', 'subscribed']);
    expect(watched.lines.some((line) => line.includes('ignored a server message'))).toBe(true);
  });

  test('the event handler throwing does not stop later events', async () => {
    const { port } = await fakeServer((socket, message) => {
      acknowledging(socket, message);
      if (message.type === 'subscribe') for (const event of ['"one"', '"two"']) send(socket, { type: 'data', id: message.id, event });
    });
    const received: string[] = [];
    const channel = createPushChannel({
      realtimeEndpoint: `ws://127.0.0.1:${port}/event/realtime`,
      httpEndpoint: `http://127.0.0.1:${port}/event`,
      region: 'us-east-1',
      channel: '/sync/x',
      credentials: async () => credentials,
      onEvent: (event) => {
        received.push(event);
        throw new Error('boom');
      },
      onState: () => undefined,
    }, { closeTimeoutMs: 100 });
    channels.push(channel);
    channel.start();
    await expect.poll(() => received).toEqual(['"one"', '"two"']);
    expect(channel.state()).toBe('subscribed');
  });

  test('what the channel sends is signed, and nothing it logs carries a secret or a signature', async () => {
    const { port, seen } = await fakeServer((socket, message) => {
      if (message.type === 'connection_init') send(socket, { type: 'connection_ack', connectionTimeoutMs: 60_000 });
      if (message.type === 'subscribe') send(socket, { type: 'subscribe_error', id: message.id, errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] });
    });
    const watched = channelTo(port);
    await expect.poll(() => watched.states.filter((each) => each.state === 'down').length).toBeGreaterThanOrEqual(2);
    const subscribe = seen.messages.find((message) => message.type === 'subscribe') as unknown as { authorization: Record<string, string>; channel: string };
    expect(Object.keys(subscribe.authorization).sort()).toEqual(['accept', 'authorization', 'content-encoding', 'content-type', 'host', 'x-amz-date', 'x-amz-security-token']);
    expect(subscribe.authorization.host).toBe(`127.0.0.1:${port}`);
    expect(subscribe.authorization.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIAUNITTEST00000001\/\d{8}\/us-east-1\/appsync\/aws4_request, SignedHeaders=accept;content-encoding;content-type;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/);
    expect(watched.states.find((each) => each.state === 'down')?.code).toBe('UNAUTHORIZED');
    const log = watched.lines.join('\n');
    expect(log).toContain('UnauthorizedException');
    for (const secret of [credentials.secretAccessKey, credentials.sessionToken, credentials.accessKeyId, 'Signature=']) expect(log).not.toContain(secret);
  });
});

describe('a server that does not answer', () => {
  test('no connection_ack in time: down with ACK_TIMEOUT, and it tries again', async () => {
    const { port, seen } = await fakeServer(() => undefined);
    const watched = channelTo(port, { ackTimeoutMs: 150 });
    await expect.poll(() => seen.connections, { timeout: 3_000 }).toBeGreaterThanOrEqual(2);
    expect(watched.states.find((each) => each.state === 'down')?.code).toBe('ACK_TIMEOUT');
  });

  test('no answer to subscribe in time: down, and it tries again', async () => {
    const { port, seen } = await fakeServer((socket, message) => {
      if (message.type === 'connection_init') send(socket, { type: 'connection_ack' });
    });
    const watched = channelTo(port, { subscribeTimeoutMs: 150 });
    await expect.poll(() => seen.messages.filter((message) => message.type === 'subscribe').length, { timeout: 3_000 }).toBeGreaterThanOrEqual(2);
    expect(watched.states.find((each) => each.state === 'down')?.code).toBe('ACK_TIMEOUT');
  });

  test('nothing for connectionTimeoutMs after subscribing: down with KEEP_ALIVE_TIMEOUT', async () => {
    const { port, seen } = await fakeServer((socket, message) => {
      if (message.type === 'connection_init') send(socket, { type: 'connection_ack', connectionTimeoutMs: 200 });
      if (message.type === 'subscribe') send(socket, { type: 'subscribe_success', id: message.id });
    });
    const watched = channelTo(port);
    await expect.poll(() => watched.states.map((each) => each.code)).toContain('KEEP_ALIVE_TIMEOUT');
    await expect.poll(() => seen.connections).toBeGreaterThanOrEqual(2);
  });

  test('a publish refused with publish_error rejects with a code; one never answered rejects when the time is up', async () => {
    let publishes = 0;
    const { port } = await fakeServer((socket, message) => {
      acknowledging(socket, message);
      if (message.type !== 'publish') return;
      publishes += 1;
      if (publishes === 1) send(socket, { type: 'publish_error', id: message.id, errors: [{ errorType: 'Unauthorized', message: 'Unauthorized' }] });
      if (publishes === 2) send(socket, { type: 'publish_success', id: message.id, successful: [], failed: [{ identifier: 'x', index: 0, code: 400, message: 'bad event' }] });
    });
    const watched = channelTo(port, { publishTimeoutMs: 200 });
    await expect.poll(() => watched.channel.state()).toBe('subscribed');
    expect((await failure(watched.channel.publish('{}'))).code).toBe('ACCESS_DENIED');
    expect((await failure(watched.channel.publish('{}'))).message).toContain('bad event');
    expect((await failure(watched.channel.publish('{}'))).code).toBe('NETWORK_DOWN');
  });

  test('credentials that cannot be had put the channel down with their own code, and it tries again', async () => {
    const { port, seen } = await fakeServer(acknowledging);
    let calls = 0;
    const watched = channelTo(port, {}, async () => {
      calls += 1;
      if (calls <= 2) throw new AppError('OFFLINE', 'offline');
      return credentials;
    });
    await expect.poll(() => watched.channel.state()).toBe('subscribed');
    expect(watched.states.filter((each) => each.state === 'down').map((each) => each.code)).toEqual(['OFFLINE', 'OFFLINE']);
    expect(seen.connections).toBe(1);
  });

  test('stop() while connecting leaves nothing behind', async () => {
    const { port, seen } = await fakeServer(() => undefined);
    const watched = channelTo(port);
    await watched.channel.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(watched.channel.state()).toBe('stopped');
    expect(seen.messages).toEqual([]);
  });
});

describe('pacing and parsing', () => {
  test('reconnect delays are fully jittered up to first·2^attempt, capped', () => {
    const backoff = { firstMs: 1_000, maxMs: 60_000 };
    expect(reconnectDelay(0, backoff, () => 0)).toBe(0);
    expect(reconnectDelay(0, backoff, () => 0.999)).toBe(999);
    expect(reconnectDelay(3, backoff, () => 0.5)).toBe(4_000);
    expect(reconnectDelay(40, backoff, () => 0.999)).toBe(59_940);
  });

  test('server messages are read by type; the unknown and the malformed are told apart', () => {
    expect(parseServerMessage('{"type":"ka"}')).toEqual({ kind: 'message', message: { type: 'ka' } });
    expect(parseServerMessage('{"type":"connection_ack","connectionTimeoutMs":300000}')).toMatchObject({ kind: 'message' });
    expect(parseServerMessage('{"type":"brand_new"}')).toEqual({ kind: 'unknown', type: 'brand_new' });
    expect(parseServerMessage('{"type":"data","id":"a"}')).toMatchObject({ kind: 'invalid' });
    expect(parseServerMessage('{"type":"connection_ack","connectionTimeoutMs":-1}')).toMatchObject({ kind: 'invalid' });
    expect(parseServerMessage('nope')).toEqual({ kind: 'invalid', reason: 'not JSON' });
  });
});
