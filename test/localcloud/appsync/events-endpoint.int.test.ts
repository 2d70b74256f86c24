// The AppSync Events stand-in speaks the documented protocol and refuses what AWS_IAM refuses:
// connects, subscribes and publishes signed by nobody, by unknown or expired credentials, with a
// tampered or stale signature, for another channel or another API, each answered in AppSync's shape.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { startEventsEndpoint, type RunningEventsEndpoint } from '../../../localcloud/appsync/events-endpoint';
import type { CredentialLookup, IssuedCredentials } from '../../../localcloud/dynamodb/sigv4-verification';
import { authorizationSubprotocol, signEventsRequest } from '../../../main/aws/push/events-signing';

const region = 'us-east-1';
const identityPoolId = 'us-east-1:0f0e0d0c-1111-2222-3333-444455556666';
const hour = 60 * 60 * 1000;

interface TestCredentials extends IssuedCredentials {
  accessKeyId: string;
}

const credentialsOf = (name: string, uuid: string, expiration = Date.now() + hour): TestCredentials => ({
  accessKeyId: `ASIA${name.toUpperCase().padEnd(16, '0')}`,
  secretAccessKey: `${name}-secret-0123456789012345678901234567890`.slice(0, 40),
  sessionToken: `${name}-session-token`,
  identityId: `${region}:${uuid}`,
  expiration,
});
const alice = credentialsOf('alice', '11111111-1111-4111-8111-111111111111');
const bob = credentialsOf('bob', '22222222-2222-4222-8222-222222222222');
const expired = credentialsOf('expired', '33333333-3333-4333-8333-333333333333', Date.now() - 1000);
const issued = new Map([alice, bob, expired].map((each) => [each.accessKeyId, each]));
const lookup: CredentialLookup = { lookup: (accessKeyId) => issued.get(accessKeyId) };
const channelOf = (who: TestCredentials) => `/sync/${who.identityId.split(':')[1]}`;

let endpoint: RunningEventsEndpoint;
let clockOffset = 0;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  endpoint = await startEventsEndpoint({
    region,
    identityPoolId,
    accountId: '123456789012',
    credentials: lookup,
    keepAliveIntervalMs: 100,
    connectionTimeoutMs: 5_000,
    now: () => Date.now() + clockOffset,
  });
});

afterEach(() => {
  clockOffset = 0;
  endpoint.setFaults({});
  for (const socket of sockets.splice(0)) socket.terminate();
});

afterAll(() => endpoint?.stop());

/** The signed headers of one operation, as a client signs them (main/aws/push/events-signing.ts). */
function sign(who: TestCredentials, body: string, options: { skewMs?: number; httpEndpoint?: string } = {}) {
  return signEventsRequest({
    httpEndpoint: options.httpEndpoint ?? endpoint.httpEndpoint,
    region,
    credentials: { ...who, expiration: new Date(who.expiration) },
    body,
    signingTime: Date.now() + (options.skewMs ?? 0),
  });
}

/** A socket whose messages queue up for next(); `protocols` as given (the header one included or not). */
function connect(protocols: string[]) {
  const socket = new WebSocket(endpoint.realtimeEndpoint, protocols);
  sockets.push(socket);
  socket.on('error', () => undefined);
  const received: Record<string, unknown>[] = [];
  const waiting: ((message: Record<string, unknown>) => void)[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as Record<string, unknown>;
    if (message.type === 'ka') return;
    const next = waiting.shift();
    if (next) next(message);
    else received.push(message);
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  return {
    socket,
    closed,
    send: (message: object) => {
      if (socket.readyState === WebSocket.CONNECTING) socket.once('open', () => socket.send(JSON.stringify(message)));
      else socket.send(JSON.stringify(message));
    },
    next: () => new Promise<Record<string, unknown>>((resolve) => (received.length > 0 ? resolve(received.shift()!) : waiting.push(resolve))),
  };
}

async function connected(who: TestCredentials) {
  const link = connect(['aws-appsync-event-ws', authorizationSubprotocol(await sign(who, '{}'))]);
  link.send({ type: 'connection_init' });
  expect(await link.next()).toEqual({ type: 'connection_ack', connectionTimeoutMs: 5_000 });
  return link;
}

async function subscribe(link: Awaited<ReturnType<typeof connected>>, who: TestCredentials, id: string, channel = channelOf(who), signedChannel = channel) {
  link.send({ type: 'subscribe', id, channel, authorization: await sign(who, JSON.stringify({ channel: signedChannel })) });
  return link.next();
}

const hint = (sc: number) => JSON.stringify({ v: 1, ds: 'notes', sc, dev: 'phone' });

describe('connecting', () => {
  test('a signed connect is acknowledged with the connection timeout, then keep-alives follow', async () => {
    const link = connect(['aws-appsync-event-ws', authorizationSubprotocol(await sign(alice, '{}'))]);
    const kas: unknown[] = [];
    link.socket.on('message', (data) => JSON.parse(String(data)).type === 'ka' && kas.push(data));
    link.send({ type: 'connection_init' });
    expect(await link.next()).toEqual({ type: 'connection_ack', connectionTimeoutMs: 5_000 });
    expect(link.socket.protocol).toBe('aws-appsync-event-ws');
    await expect.poll(() => kas.length).toBeGreaterThanOrEqual(3);
  });

  test('header names are read in any case, as the guide writes them (X-Amz-Security-Token, Authorization)', async () => {
    const { authorization, 'x-amz-security-token': token, ...rest } = await sign(alice, '{}');
    const link = connect(['aws-appsync-event-ws', authorizationSubprotocol({ ...rest, 'X-Amz-Security-Token': token!, Authorization: authorization! })]);
    link.send({ type: 'connection_init' });
    expect(await link.next()).toMatchObject({ type: 'connection_ack' });
  });

  test('without the aws-appsync-event-ws subprotocol the handshake itself is refused', async () => {
    const socket = new WebSocket(endpoint.realtimeEndpoint, [authorizationSubprotocol(await sign(alice, '{}'))]);
    sockets.push(socket);
    socket.on('error', () => undefined);
    const status = await new Promise<number | undefined>((resolve) => {
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode));
      socket.on('open', () => resolve(undefined));
    });
    expect(status).toBe(400);
  });

  test('an unsigned connect gets connection_error UnauthorizedException, then the socket closes', async () => {
    const link = connect(['aws-appsync-event-ws']);
    expect(await link.next()).toEqual({ type: 'connection_error', errors: [{ errorType: 'UnauthorizedException', message: 'Missing authorization header' }] });
    expect(await link.closed).toBe(1008);
  });

  test('a tampered signature, unknown credentials and expired credentials are refused', async () => {
    const signed = await sign(alice, '{}');
    const last = signed.authorization!.at(-1) === '0' ? '1' : '0';
    const tampered = connect(['aws-appsync-event-ws', authorizationSubprotocol({ ...signed, authorization: `${signed.authorization!.slice(0, -1)}${last}` })]);
    expect(await tampered.next()).toMatchObject({ type: 'connection_error', errors: [{ errorType: 'BadRequestException', message: expect.stringContaining('signature we calculated does not match') }] });

    const stranger = { ...alice, accessKeyId: 'ASIASTRANGER00000000' };
    const unknown = connect(['aws-appsync-event-ws', authorizationSubprotocol(await sign(stranger, '{}'))]);
    expect(await unknown.next()).toMatchObject({ errors: [{ errorType: 'UnauthorizedException', message: 'The security token included in the request is invalid.' }] });

    const late = connect(['aws-appsync-event-ws', authorizationSubprotocol(await sign(expired, '{}'))]);
    expect(await late.next()).toMatchObject({ errors: [{ errorType: 'UnauthorizedException', message: 'The security token included in the request is expired' }] });
  });

  test('a signature more than 5 minutes old is refused, one of 4 minutes is not', async () => {
    const stale = connect(['aws-appsync-event-ws', authorizationSubprotocol(await sign(alice, '{}', { skewMs: -6 * 60 * 1000 }))]);
    expect(await stale.next()).toMatchObject({ errors: [{ errorType: 'BadRequestException', message: expect.stringMatching(/^Signature expired: .* - 5 min\.\)$/) }] });
    const recent = connect(['aws-appsync-event-ws', authorizationSubprotocol(await sign(alice, '{}', { skewMs: -4 * 60 * 1000 }))]);
    recent.send({ type: 'connection_init' });
    expect(await recent.next()).toMatchObject({ type: 'connection_ack' });
  });

  test('a connect signed for another Events API (another host) is refused', async () => {
    const elsewhere = await sign(alice, '{}', { httpEndpoint: 'https://example1234567890000.appsync-api.us-east-1.amazonaws.com/event' });
    const link = connect(['aws-appsync-event-ws', authorizationSubprotocol(elsewhere)]);
    expect(await link.next()).toMatchObject({ type: 'connection_error', errors: [{ errorType: 'UnauthorizedException' }] });
  });
});

describe('subscribing', () => {
  test('an identity subscribes its own channel, and a subscribe signed for another channel is refused', async () => {
    const link = await connected(alice);
    expect(await subscribe(link, alice, 'mine')).toEqual({ type: 'subscribe_success', id: 'mine' });
    const swapped = await subscribe(link, alice, 'swapped', channelOf(alice), channelOf(bob));
    expect(swapped).toMatchObject({ type: 'subscribe_error', id: 'swapped', errors: [{ errorType: 'BadRequestException' }] });
  });

  test("another identity's channel, a wildcard and another namespace are refused", async () => {
    const link = await connected(bob);
    expect(await subscribe(link, bob, 'alices', channelOf(alice))).toEqual({ type: 'subscribe_error', id: 'alices', errors: [{ errorType: 'Unauthorized', message: 'Unauthorized' }] });
    expect(await subscribe(link, bob, 'all', '/sync/*')).toMatchObject({ type: 'subscribe_error', errors: [{ errorType: 'Unauthorized' }] });
    expect(await subscribe(link, bob, 'other', '/default/channel')).toMatchObject({ type: 'subscribe_error', errors: [{ errorType: 'BadRequestException' }] });
  });

  test('a reused ID, an unknown unsubscribe and an unknown message type are errors that leave the connection up', async () => {
    const link = await connected(alice);
    expect(await subscribe(link, alice, 'one')).toMatchObject({ type: 'subscribe_success' });
    expect(await subscribe(link, alice, 'one')).toMatchObject({ type: 'subscribe_error', id: 'one' });
    link.send({ type: 'unsubscribe', id: 'nope' });
    expect(await link.next()).toEqual({ type: 'unsubscribe_error', id: 'nope', errors: [{ errorType: 'UnknownOperationError', message: 'Unknown operation id nope' }] });
    link.send({ type: 'start', id: 'x' });
    expect(await link.next()).toMatchObject({ type: 'error', errors: [{ errorType: 'UnsupportedOperation' }] });
    link.send({ type: 'unsubscribe', id: 'one' });
    expect(await link.next()).toEqual({ type: 'unsubscribe_success', id: 'one' });
  });

  test('refuseSubscriptions answers every subscribe with subscribe_error until lifted', async () => {
    const link = await connected(alice);
    endpoint.setFaults({ refuseSubscriptions: true });
    expect(await subscribe(link, alice, 'a')).toMatchObject({ type: 'subscribe_error', errors: [{ errorType: 'UnauthorizedException' }] });
    endpoint.setFaults({});
    expect(await subscribe(link, alice, 'b')).toMatchObject({ type: 'subscribe_success' });
  });
});

describe('publishing', () => {
  test('over the socket: publish_success names the events, and each reaches the channel as one data message', async () => {
    const listener = await connected(alice);
    await subscribe(listener, alice, 'listen');
    const publisher = await connected(alice);
    const events = [hint(1), hint(2)];
    publisher.send({ type: 'publish', id: 'p1', channel: channelOf(alice), events, authorization: await sign(alice, JSON.stringify({ channel: channelOf(alice), events })) });
    const answer = await publisher.next();
    expect(answer).toMatchObject({ type: 'publish_success', id: 'p1', failed: [] });
    expect((answer.successful as { index: number }[]).map((each) => each.index)).toEqual([0, 1]);
    expect(await listener.next()).toEqual({ type: 'data', id: 'listen', event: events[0] });
    expect(await listener.next()).toEqual({ type: 'data', id: 'listen', event: events[1] });
  });

  test('by HTTP: a signed POST /event is delivered; unsigned, foreign and malformed ones are refused in AppSync’s shape', async () => {
    const listener = await connected(alice);
    await subscribe(listener, alice, 'listen');
    const post = async (who: TestCredentials, body: object, signedBody = JSON.stringify(body)) => {
      const { host: _host, ...headers } = await sign(who, signedBody);
      const answer = await fetch(endpoint.httpEndpoint, { method: 'POST', headers, body: JSON.stringify(body) });
      return { status: answer.status, type: answer.headers.get('x-amzn-errortype'), json: (await answer.json()) as Record<string, unknown> };
    };
    const ok = await post(alice, { channel: channelOf(alice), events: [hint(3)] });
    expect(ok).toMatchObject({ status: 200, json: { failed: [], successful: [{ index: 0 }] } });
    expect(await listener.next()).toEqual({ type: 'data', id: 'listen', event: hint(3) });

    expect(await post(bob, { channel: channelOf(alice), events: [hint(4)] })).toMatchObject({ status: 401, json: { errors: [{ errorType: 'Unauthorized' }] } });
    expect(await post(alice, { channel: channelOf(alice), events: [hint(5)] }, '{}')).toMatchObject({ status: 403, type: 'InvalidSignatureException' });
    expect(await post(alice, { channel: channelOf(alice), events: Array.from({ length: 6 }, (_, index) => hint(index + 10)) })).toMatchObject({ status: 400, json: { errors: [{ errorType: 'BadRequestException' }] } });
    expect(await post(alice, { channel: channelOf(alice), events: ['not json'] })).toMatchObject({ status: 400 });
    const unsigned = await fetch(endpoint.httpEndpoint, { method: 'POST', body: JSON.stringify({ channel: channelOf(alice), events: [hint(6)] }) });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ errors: [{ errorType: 'UnauthorizedException', message: 'Missing authorization header' }] });
    expect((await fetch(endpoint.httpEndpoint)).status).toBe(404);
  });

  test('dropAll loses every delivery, dropRate a share of them; the counts show what was delivered', async () => {
    endpoint.resetCounts();
    const listener = await connected(alice);
    await subscribe(listener, alice, 'listen');
    const publish = async (sc: number) => {
      const events = [hint(sc)];
      listener.send({ type: 'publish', id: `p${sc}`, channel: channelOf(alice), events, authorization: await sign(alice, JSON.stringify({ channel: channelOf(alice), events })) });
    };
    endpoint.setFaults({ dropAll: true });
    await publish(20);
    expect(await listener.next()).toMatchObject({ type: 'publish_success', id: 'p20' });
    endpoint.setFaults({ dropRate: 0 });
    await publish(21);
    expect(await listener.next()).toMatchObject({ type: 'data', event: hint(21) });
    expect(await listener.next()).toMatchObject({ type: 'publish_success', id: 'p21' });
    expect(endpoint.counts()[alice.identityId]).toEqual({ connects: 1, subscribes: 1, publishes: 2, deliveries: 1 });
  });

  test('closeSockets closes every open socket with 1001', async () => {
    const one = await connected(alice);
    const two = await connected(bob);
    endpoint.closeSockets();
    expect(await one.closed).toBe(1001);
    expect(await two.closed).toBe(1001);
  });
});
