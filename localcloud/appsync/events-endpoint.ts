// The AppSync Events API stand-in, with AWS_IAM authorization: one HTTP server for `POST /event`
// (publish) and the WebSocket `/event/realtime` (connect, subscribe, publish, unsubscribe), as
// docs.aws.amazon.com/appsync/latest/eventapi/event-api-websocket-protocol.html describes them.
//
// Every connect, subscribe and publish carries SigV4-signed headers of a POST to the HTTP endpoint's
// `/event` (the WebSocket ones in the `header-…` subprotocol or the message's `authorization`); each
// is verified like the DynamoDB gateway's requests, against the credentials the Cognito emulator
// issued, and must name this API's HTTP host. Then the namespace's handlers — the very file the
// CloudFormation template ships (handler-runtime.ts) — decide: onSubscribe admits a subscription,
// onPublish filters what reaches the subscribers of exactly that channel.
//
// Faults for tests: lost deliveries, refused subscriptions, silenced keep-alives, dropped sockets.
import { randomUUID } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import { closeServer, HOST, listen, readBody } from '../listen';
import { verifyHeaderMapSignature, verifyRequestSignature, type CredentialLookup, type SigningExpectations } from '../dynamodb/sigv4-verification';
import { loadChannelHandlers, type ChannelEvent, type ChannelHandlers, type ChannelIdentity } from './handler-runtime';
import {
  badRequest,
  duplicatedOperation,
  errorsOf,
  handlerUnauthorized,
  messageProcessing,
  notFound,
  requestTooLarge,
  sendEventsError,
  signatureRefusal,
  subscriptionProcessing,
  unauthorized,
  unknownOperation,
  unsupportedOperation,
  type EventsError,
} from './events-errors';

export interface PushFaults {
  /** Share of deliveries (one event to one subscription) silently dropped, 0..1. */
  dropRate?: number;
  /** Drop every delivery. */
  dropAll?: boolean;
  /** Answer every subscribe with subscribe_error (UnauthorizedException), as a role that lost appsync:EventSubscribe would. */
  refuseSubscriptions?: boolean;
  /** Stop sending `ka`, so that clients must notice a dead link by themselves. */
  silenceKeepAlives?: boolean;
}

/** What one identity did (what AWS bills: connections, operations, messages delivered). */
export interface PushCounts {
  connects: number;
  subscribes: number;
  publishes: number;
  deliveries: number;
}

export interface StartEventsEndpointOptions {
  /** 0 or undefined: a free port. */
  port?: number;
  region: string;
  identityPoolId: string;
  accountId: string;
  /** The identity pool's authenticated role, named in the identity the handlers see. */
  roleName?: string;
  credentials: CredentialLookup;
  /** The channel namespace the API has. */
  namespace?: string;
  /** How often `ka` is sent; AppSync sends one a minute. */
  keepAliveIntervalMs?: number;
  /** What connection_ack announces; AppSync's is 5 minutes. */
  connectionTimeoutMs?: number;
  faults?: PushFaults;
  /** For tests only: handlers standing in for the shipped file (e.g. a broken one that lets anyone in). */
  handlers?: ChannelHandlers;
  /** Epoch milliseconds; injectable to test expiry and clock skew. */
  now?: () => number;
  /** In [0, 1); injectable to make dropRate deterministic. */
  random?: () => number;
}

export interface RunningEventsEndpoint {
  /** `http://127.0.0.1:P/event`: publish by POST; its host is what every signature names. */
  httpEndpoint: string;
  /** `ws://127.0.0.1:P/event/realtime`. */
  realtimeEndpoint: string;
  port: number;
  setFaults(faults: PushFaults): void;
  /** Closes every open WebSocket now (1001 Going Away), as AWS does when it moves connections. */
  closeSockets(): void;
  /** Per identity ID. */
  counts(): Record<string, PushCounts>;
  resetCounts(): void;
  stop(): Promise<void>;
}

const PROTOCOL = 'aws-appsync-event-ws';
const HEADER_PROTOCOL_PREFIX = 'header-';
const REALTIME_PATH = '/event/realtime';
const EVENT_PATH = '/event';
/** AppSync's limits: five events per publish, 240 KB per event. */
const MAX_EVENTS = 5;
const MAX_EVENT_BYTES = 240 * 1024;
const MAX_REQUEST_BYTES = MAX_EVENTS * MAX_EVENT_BYTES + 64 * 1024;
// SigV4 for AppSync is checked at its API Gateway-like front door, which allows 5 minutes of skew
// (DynamoDB allows 15). AWS does not document AppSync's figure; 5 is the stricter, safer stand-in.
const ALLOWED_CLOCK_SKEW_MS = 5 * 60 * 1000;
// The signed request must cover what the documented IAM header set covers besides host and x-amz-*.
const REQUIRED_SIGNED_HEADERS = ['content-type'];
// Not documented: a refused connection gets connection_error, then the socket closes; 1008 says why.
const POLICY_VIOLATION = 1008;
const GOING_AWAY = 1001;

// The documented formats of an operation ID and a channel (one to five segments; `/*` may end a subscription).
const OPERATION_ID = /^[a-zA-Z0-9-_+]{1,128}$/;
const SEGMENT = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,48}[A-Za-z0-9])?';
const CHANNEL = new RegExp(`^/?${SEGMENT}(?:/${SEGMENT}){0,4}(?:/\\*)?/?$`);

const authorizationSchema = z.record(z.string(), z.unknown());
const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('connection_init') }),
  z.object({ type: z.literal('subscribe'), id: z.string(), channel: z.string(), authorization: authorizationSchema.optional() }),
  z.object({ type: z.literal('unsubscribe'), id: z.string() }),
  z.object({
    type: z.literal('publish'),
    id: z.string(),
    channel: z.string(),
    events: z.array(z.unknown()),
    authorization: authorizationSchema.optional(),
  }),
]);
const publishBodySchema = z.object({ channel: z.string(), events: z.array(z.unknown()) });

interface Subscription {
  channel: string;
  identityId: string;
}

interface Connection {
  socket: WebSocket;
  sourceIp: string;
  subscriptions: Map<string, Subscription>;
  keepAlive?: NodeJS.Timeout;
}

type Verified = { identity: ChannelIdentity } | { error: EventsError };

/** The API's state: one owner (startEventsEndpoint), read and changed by the protocol steps below. */
interface EventsApi {
  options: StartEventsEndpointOptions;
  now: () => number;
  random: () => number;
  namespace: string;
  keepAliveIntervalMs: number;
  connectionTimeoutMs: number;
  roleName: string;
  handlers: ChannelHandlers;
  faults: PushFaults;
  counts: Record<string, PushCounts>;
  connections: Set<Connection>;
  /** `127.0.0.1:P`, the host every signature must name; known once the server listens. */
  httpHost: string;
}

export async function startEventsEndpoint(options: StartEventsEndpointOptions): Promise<RunningEventsEndpoint> {
  const api: EventsApi = {
    options,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    namespace: options.namespace ?? 'sync',
    keepAliveIntervalMs: options.keepAliveIntervalMs ?? 60_000,
    connectionTimeoutMs: options.connectionTimeoutMs ?? 300_000,
    roleName: options.roleName ?? `Cognito_${options.identityPoolId.split(':')[1]?.slice(0, 8)}Auth_Role`,
    handlers: options.handlers ?? loadChannelHandlers({ identityPoolId: options.identityPoolId }),
    faults: { ...options.faults },
    counts: {},
    connections: new Set(),
    httpHost: '',
  };
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_REQUEST_BYTES,
    handleProtocols: (protocols) => (protocols.has(PROTOCOL) ? PROTOCOL : false),
  });
  const server = http.createServer((request, response) => {
    onHttp(api, request, response).catch(() => {
      if (response.headersSent) response.destroy();
      else sendEventsError(response, messageProcessing());
    });
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => onUpgrade(api, wss, request, socket, head));
  const port = await listen(server, options.port ?? 0, 'The AppSync Events endpoint');
  api.httpHost = `${HOST}:${port}`;

  return {
    httpEndpoint: `http://${api.httpHost}${EVENT_PATH}`,
    realtimeEndpoint: `ws://${api.httpHost}${REALTIME_PATH}`,
    port,
    setFaults: (next) => {
      api.faults = { ...next };
    },
    closeSockets: () => {
      for (const connection of api.connections) connection.socket.close(GOING_AWAY, 'Going Away');
    },
    counts: () => Object.fromEntries(Object.entries(api.counts).map(([identityId, mine]) => [identityId, { ...mine }])),
    resetCounts: () => {
      api.counts = {};
    },
    stop: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await closeServer(server);
    },
  };
}

function count(api: EventsApi, identityId: string, what: keyof PushCounts): void {
  const mine = (api.counts[identityId] ??= { connects: 0, subscribes: 0, publishes: 0, deliveries: 0 });
  mine[what] += 1;
}

function expectations(api: EventsApi): SigningExpectations {
  return {
    region: api.options.region,
    service: 'appsync',
    credentials: api.options.credentials,
    now: api.now(),
    requiredSignedHeaders: REQUIRED_SIGNED_HEADERS,
    allowedClockSkewMs: ALLOWED_CLOCK_SKEW_MS,
  };
}

/** The identity the handlers see, as AppSync builds it for Cognito identity pool credentials. */
function identityOf(api: EventsApi, identityId: string, sourceIp: string): ChannelIdentity {
  const { identityPoolId, accountId } = api.options;
  return {
    cognitoIdentityId: identityId,
    cognitoIdentityPoolId: identityPoolId,
    cognitoIdentityAuthType: 'authenticated',
    accountId,
    userArn: `arn:aws:sts::${accountId}:assumed-role/${api.roleName}/CognitoIdentityCredentials`,
    sourceIp: [sourceIp],
  };
}

/** The signed headers of a WebSocket operation, checked as the POST /event carrying `body` they sign. */
async function verifyOperation(api: EventsApi, authorization: Record<string, unknown> | undefined, body: string, sourceIp: string): Promise<Verified> {
  if (authorization === undefined) return { error: unauthorized('Missing authorization header') };
  const host = Object.entries(authorization).find(([name]) => name.toLowerCase() === 'host')?.[1];
  // The host names the API: a signature made for another Events API (or none) is not for this one.
  if (host !== api.httpHost) return { error: unauthorized() };
  const verification = await verifyHeaderMapSignature({ headers: authorization, method: 'POST', url: EVENT_PATH, body }, expectations(api));
  if ('error' in verification) return { error: signatureRefusal(verification.error, 'websocket') };
  return { identity: identityOf(api, verification.identityId, sourceIp) };
}

function deliver(api: EventsApi, channel: string, events: ChannelEvent[]): void {
  const { dropAll = false, dropRate = 0 } = api.faults;
  for (const connection of api.connections) {
    for (const [id, subscription] of connection.subscriptions) {
      if (!channelMatches(subscription.channel, channel)) continue;
      for (const event of events) {
        if (dropAll || (dropRate > 0 && api.random() < dropRate)) continue;
        // One data message per event, its payload as JSON text (the `event` field AWS's clients parse).
        send(connection.socket, { type: 'data', id, event: JSON.stringify(event.payload) });
        count(api, subscription.identityId, 'deliveries');
      }
    }
  }
}

type PublishResult = { successful: { identifier: string; index: number }[]; failed: unknown[] };

/** Runs onPublish on the parsed events and delivers what it lets through; the answer names the events by index. */
function publish(api: EventsApi, identity: ChannelIdentity, channel: string, texts: unknown[]): PublishResult | EventsError {
  const problem = channelProblem(api, channel) ?? (channel.endsWith('*') ? 'Events are published on a channel, not a wildcard.' : undefined) ?? eventsProblem(texts);
  if (problem !== undefined) return badRequest(problem);
  const path = normalized(channel);
  const incoming = (texts as string[]).map((text) => ({ id: randomUUID(), payload: JSON.parse(text) as unknown }));
  const outcome = api.handlers.onPublish(identity, path, incoming);
  if (!outcome.allowed) return outcome.reason === 'unauthorized' ? handlerUnauthorized(outcome.message) : messageProcessing(outcome.message);
  count(api, identity.cognitoIdentityId, 'publishes');
  deliver(api, path, outcome.value);
  const passed = new Set(outcome.value.map((event) => event.id));
  return {
    successful: incoming.flatMap((event, index) => (passed.has(event.id) ? [{ identifier: event.id, index }] : [])),
    failed: [],
  };
}

function channelProblem(api: EventsApi, channel: string): string | undefined {
  if (!CHANNEL.test(channel)) return `Invalid channel: ${channel.slice(0, 300)}. A channel is 1 to 5 segments of up to 50 letters, digits and dashes.`;
  // Not documented wording: AppSync refuses a channel outside the API's namespaces.
  const namespace = segmentsOf(channel)[0];
  if (namespace !== api.namespace) return `Channel namespace not found: ${namespace}`;
  return undefined;
}

async function onSubscribe(api: EventsApi, connection: Connection, message: { id: string; channel: string; authorization?: Record<string, unknown> }): Promise<void> {
  const refuse = (refusal: EventsError) => send(connection.socket, { type: 'subscribe_error', id: message.id, ...errorsOf(refusal) });
  if (!OPERATION_ID.test(message.id)) return refuse(badRequest(`Invalid operation id: ${message.id.slice(0, 140)}`));
  if (connection.subscriptions.has(message.id)) return refuse(duplicatedOperation(message.id));
  const verified = await verifyOperation(api, message.authorization, JSON.stringify({ channel: message.channel }), connection.sourceIp);
  if ('error' in verified) return refuse(verified.error);
  const problem = channelProblem(api, message.channel);
  if (problem !== undefined) return refuse(badRequest(problem));
  if (api.faults.refuseSubscriptions) return refuse(unauthorized());
  const channel = normalized(message.channel);
  const outcome = api.handlers.onSubscribe(verified.identity, channel);
  if (!outcome.allowed) return refuse(outcome.reason === 'unauthorized' ? handlerUnauthorized(outcome.message) : subscriptionProcessing(outcome.message));
  // The socket may have closed while the signature was checked.
  if (connection.socket.readyState !== connection.socket.OPEN) return;
  connection.subscriptions.set(message.id, { channel, identityId: verified.identity.cognitoIdentityId });
  count(api, verified.identity.cognitoIdentityId, 'subscribes');
  send(connection.socket, { type: 'subscribe_success', id: message.id });
}

async function onSocketPublish(
  api: EventsApi,
  connection: Connection,
  message: { id: string; channel: string; events: unknown[]; authorization?: Record<string, unknown> },
): Promise<void> {
  const refuse = (refusal: EventsError) => send(connection.socket, { type: 'publish_error', id: message.id, ...errorsOf(refusal) });
  if (!OPERATION_ID.test(message.id)) return refuse(badRequest(`Invalid operation id: ${message.id.slice(0, 140)}`));
  const signedBody = JSON.stringify({ channel: message.channel, events: message.events });
  const verified = await verifyOperation(api, message.authorization, signedBody, connection.sourceIp);
  if ('error' in verified) return refuse(verified.error);
  const result = publish(api, verified.identity, message.channel, message.events);
  if ('errorType' in result) return refuse(result);
  send(connection.socket, { type: 'publish_success', id: message.id, ...result });
}

function onUnsubscribe(connection: Connection, id: string): void {
  if (!connection.subscriptions.delete(id)) {
    send(connection.socket, { type: 'unsubscribe_error', id, ...errorsOf(unknownOperation(id)) });
    return;
  }
  send(connection.socket, { type: 'unsubscribe_success', id });
}

async function onMessage(api: EventsApi, connection: Connection, data: RawData): Promise<void> {
  const json = parseJson(rawBytes(data));
  const parsed = clientMessageSchema.safeParse(json);
  if (!parsed.success) {
    const { type, id } = (json ?? {}) as { type?: unknown; id?: unknown };
    const refusal =
      json === undefined
        ? badRequest('The message is not JSON.')
        : typeof type === 'string' && !['subscribe', 'unsubscribe', 'publish'].includes(type)
          ? unsupportedOperation(type.slice(0, 64))
          : badRequest('The message is not a valid operation.');
    send(connection.socket, { type: 'error', ...(typeof id === 'string' ? { id } : {}), ...errorsOf(refusal) });
    return;
  }
  const message = parsed.data;
  switch (message.type) {
    case 'connection_init':
      return acknowledge(api, connection);
    case 'subscribe':
      return onSubscribe(api, connection, message);
    case 'unsubscribe':
      return onUnsubscribe(connection, message.id);
    case 'publish':
      return onSocketPublish(api, connection, message);
  }
}

/** connection_ack with the timeout, then a ka at once and every keepAliveIntervalMs (unless silenced). */
function acknowledge(api: EventsApi, connection: Connection): void {
  if (connection.keepAlive !== undefined) return;
  send(connection.socket, { type: 'connection_ack', connectionTimeoutMs: api.connectionTimeoutMs });
  const keepAlive = () => {
    if (!api.faults.silenceKeepAlives) send(connection.socket, { type: 'ka' });
  };
  keepAlive();
  connection.keepAlive = setInterval(keepAlive, api.keepAliveIntervalMs);
}

/** A new socket: its connect signature is checked first; its messages wait for that, then run in order. */
async function onConnection(api: EventsApi, socket: WebSocket, request: IncomingMessage, header: string | undefined): Promise<void> {
  const connection: Connection = { socket, sourceIp: request.socket.remoteAddress ?? HOST, subscriptions: new Map() };
  const pending: RawData[] = [];
  let ready = false;
  let chain = Promise.resolve();
  const handle = (data: RawData) => {
    chain = chain.then(() => onMessage(api, connection, data)).catch(() => send(socket, { type: 'error', ...errorsOf(messageProcessing()) }));
  };
  socket.on('message', (data) => (ready ? handle(data) : pending.push(data)));
  socket.on('close', () => {
    clearInterval(connection.keepAlive);
    api.connections.delete(connection);
  });
  socket.on('error', () => socket.terminate());

  const verified = await verifyOperation(api, decodeHeader(header), '{}', connection.sourceIp);
  if ('error' in verified) {
    send(socket, { type: 'connection_error', ...errorsOf(verified.error) });
    socket.close(POLICY_VIOLATION, verified.error.errorType);
    return;
  }
  if (socket.readyState !== socket.OPEN) return;
  count(api, verified.identity.cognitoIdentityId, 'connects');
  api.connections.add(connection);
  ready = true;
  for (const data of pending.splice(0)) handle(data);
}

function onUpgrade(api: EventsApi, wss: WebSocketServer, request: IncomingMessage, socket: Duplex, head: Buffer): void {
  const path = new URL(request.url ?? '/', 'http://events.invalid').pathname;
  const protocols = protocolsOf(request.headers);
  // Without the Events subprotocol this is not an Events client: the handshake is refused.
  if (path !== REALTIME_PATH || !protocols.includes(PROTOCOL)) {
    socket.end(`HTTP/1.1 ${path === REALTIME_PATH ? '400 Bad Request' : '404 Not Found'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    return;
  }
  const header = protocols.find((protocol) => protocol.startsWith(HEADER_PROTOCOL_PREFIX))?.slice(HEADER_PROTOCOL_PREFIX.length);
  wss.handleUpgrade(request, socket, head, (ws) => {
    onConnection(api, ws, request, header).catch(() => ws.terminate());
  });
}

/** POST /event: a publish signed as an HTTP request. */
async function onHttp(api: EventsApi, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://events.invalid').pathname;
  if (request.method !== 'POST' || path !== EVENT_PATH) return sendEventsError(response, notFound());
  const body = await readBody(request, MAX_REQUEST_BYTES);
  if (body === undefined) {
    response.setHeader('connection', 'close');
    return sendEventsError(response, requestTooLarge());
  }
  if (request.headers.host !== api.httpHost) return sendEventsError(response, unauthorized());
  const verification = await verifyRequestSignature({ method: 'POST', url: request.url ?? EVENT_PATH, headers: request.headers, body }, expectations(api));
  if ('error' in verification) return sendEventsError(response, signatureRefusal(verification.error, 'http'));
  const parsed = publishBodySchema.safeParse(parseJson(body));
  if (!parsed.success) return sendEventsError(response, badRequest('The body must be {"channel": "...", "events": ["<JSON text>", ...]}.'));
  const identity = identityOf(api, verification.identityId, request.socket.remoteAddress ?? HOST);
  const result = publish(api, identity, parsed.data.channel, parsed.data.events);
  if ('errorType' in result) return sendEventsError(response, result);
  const answer = JSON.stringify(result);
  response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(answer), 'x-amzn-requestid': randomUUID() });
  response.end(answer);
}

function send(socket: WebSocket, message: object): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

function rawBytes(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

function protocolsOf(headers: IncomingHttpHeaders): string[] {
  return (headers['sec-websocket-protocol'] ?? '').split(',').map((protocol) => protocol.trim()).filter((protocol) => protocol !== '');
}

/** The `header-…` subprotocol: base64url of a JSON object of headers; anything else is no authorization. */
function decodeHeader(encoded: string | undefined): Record<string, unknown> | undefined {
  if (encoded === undefined) return undefined;
  const value = parseJson(Buffer.from(encoded, 'base64url'));
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Why a publish's events are refused: 1 to 5 of them, each the JSON text of one value, 240 KB at most. */
function eventsProblem(events: unknown[]): string | undefined {
  if (events.length === 0 || events.length > MAX_EVENTS) return `A publish carries 1 to ${MAX_EVENTS} events, not ${events.length}.`;
  for (const [index, event] of events.entries()) {
    if (typeof event !== 'string') return `Event ${index} is not a string: each event is the JSON text of one value.`;
    if (Buffer.byteLength(event) > MAX_EVENT_BYTES) return `Event ${index} is larger than 240 KB.`;
    if (parseJson(Buffer.from(event, 'utf8')) === undefined) return `Event ${index} is not valid JSON.`;
  }
  return undefined;
}

function segmentsOf(channel: string): string[] {
  return channel.split('/').filter((segment) => segment !== '');
}

/** `/a/b` for `a/b`, `/a/b/` and `/a/b`: AppSync accepts a channel with or without its slashes. */
function normalized(channel: string): string {
  return `/${segmentsOf(channel).join('/')}`;
}

/** A subscription gets a channel's events when it names that channel, or a prefix of it followed by `/*`. */
function channelMatches(subscribed: string, channel: string): boolean {
  if (subscribed.endsWith('/*')) return channel.startsWith(subscribed.slice(0, -1));
  return subscribed === channel;
}

