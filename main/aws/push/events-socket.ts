// The push channel over AppSync Events' WebSocket (push-channel.ts is the contract; the protocol is
// docs.aws.amazon.com/appsync/latest/eventapi/event-api-websocket-protocol.html, with AWS_IAM).
//
//            start()   open the socket (header-… signed over {}), connection_init
//   (idle) ─────────▶ connecting ── connection_ack, subscribe (signed over {"channel"}) ──┐
//                       ▲   │                                                            ▼
//     reconnect timer   │   │ connection_error, subscribe_error, closed,           subscribed
//     (full jitter,     │   ▼ no ack in time, nothing for connectionTimeoutMs   ◀── data → onEvent
//      reset when   ── down ◀───────────────────────────────────────────────────────────┘
//      subscribed)
//   stop() from any state: unsubscribe when subscribed, close, cancel timers → stopped (final).
//
// Every connect, subscribe and publish asks the credentials anew (Cognito's rotate hourly).
// publish() goes over the socket while subscribed, else as a signed HTTP POST. Server messages are
// validated (events-messages.ts); one of an unknown type is logged and ignored. Nothing logged
// carries credentials or signatures: only states, codes and the service's error types and messages.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { AppError } from '../../../shared/errors';
import { createRepeatLog, silentLogger, type Logger, type RepeatLog } from '../../platform/log';
import {
  channelStopped,
  publishFailure,
  publishRefused,
  publishUnanswered,
  refusalCode,
  type PushDownCode,
} from './events-errors';
import {
  connectionInit,
  CONNECT_SIGNED_BODY,
  DEFAULT_CONNECTION_TIMEOUT_MS,
  eventsOf,
  EVENTS_SUBPROTOCOL,
  firstError,
  httpErrorsSchema,
  parseServerMessage,
  publishBody,
  publishMessage,
  publishResultSchema,
  subscribeMessage,
  subscribeSignedBody,
  unsubscribeMessage,
  type EventsErrorDetail,
  type ServerMessage,
} from './events-messages';
import { authorizationSubprotocol, httpPublishHeaders, signEventsRequest } from './events-signing';
import type { PushChannel, PushChannelOptions, PushState } from './push-channel';

export type { PushDownCode } from './events-errors';

type Timer = ReturnType<typeof setTimeout>;

/** What a test may replace; the app uses the defaults. */
export interface PushRuntime {
  WebSocket?: typeof WebSocket;
  fetch?: typeof fetch;
  setTimeout?: (run: () => void, ms: number) => Timer;
  clearTimeout?: (timer: Timer | undefined) => void;
  /** In [0, 1): the jitter of reconnect delays. */
  random?: () => number;
  /** From opening the socket to connection_ack; AWS's own clients wait 15 s. */
  ackTimeoutMs?: number;
  /** From subscribe to its answer (15 s, as AWS's clients). */
  subscribeTimeoutMs?: number;
  /** From publish to its answer, over the socket or HTTP. */
  publishTimeoutMs?: number;
  /** How long stop() waits for unsubscribe_success and the close before it drops the socket. */
  closeTimeoutMs?: number;
}

/** Reconnect delays when the backoff option says nothing. */
export const DEFAULT_BACKOFF = { firstMs: 1_000, maxMs: 60_000 };
/** A refused connect or subscribe will likely be refused again soon: its ceiling grows 8 times faster. */
const REFUSAL_DOUBLINGS = 3;
const NORMAL_CLOSURE = 1000;

/** Full jitter (AWS Architecture Blog, "Exponential backoff and jitter"): a random wait up to first·2^attempt, capped. */
export function reconnectDelay(attempt: number, backoff: { firstMs: number; maxMs: number }, random: () => number): number {
  return Math.floor(random() * Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.min(attempt, 30)));
}

interface PendingPublish {
  resolve(): void;
  reject(error: AppError): void;
  timer: Timer;
}

/** One socket: from opening it to its end. A new one replaces it at every reconnect. */
interface Link {
  socket: WebSocket;
  subscriptionId: string;
  acknowledged: boolean;
  subscribed: boolean;
  connectionTimeoutMs: number;
  /** The ack, subscribe or keep-alive deadline, whichever applies now. */
  deadline?: Timer;
  publishes: Map<string, PendingPublish>;
  onUnsubscribed?: () => void;
}

interface Channel {
  options: PushChannelOptions;
  runtime: Required<PushRuntime>;
  log: Logger;
  repeats: RepeatLog;
  backoff: { firstMs: number; maxMs: number };
  now: () => number;
  state: PushState;
  started: boolean;
  /** Failures since the last subscribe_success. */
  attempt: number;
  link?: Link;
  reconnect?: Timer;
}

export function createPushChannel(options: PushChannelOptions, runtime: PushRuntime = {}): PushChannel {
  const log = (options.log ?? silentLogger).child('push');
  const channel: Channel = {
    options,
    runtime: {
      WebSocket,
      fetch: (...args) => fetch(...args),
      setTimeout: (run, ms) => setTimeout(run, ms),
      clearTimeout: (timer) => clearTimeout(timer),
      random: Math.random,
      ackTimeoutMs: 15_000,
      subscribeTimeoutMs: 15_000,
      publishTimeoutMs: 10_000,
      closeTimeoutMs: 1_000,
      ...runtime,
    },
    log,
    repeats: createRepeatLog(log, { now: options.now }),
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    now: options.now ?? Date.now,
    // Before start() nothing is scheduled, which is what `down` tells the engine: poll.
    state: 'down',
    started: false,
    attempt: 0,
  };
  return {
    start() {
      if (channel.started || channel.state === 'stopped') return;
      channel.started = true;
      void connect(channel);
    },
    publish: (event) => publish(channel, event),
    state: () => channel.state,
    stop: () => stop(channel),
  };
}

function isStopped(channel: Channel): boolean {
  return channel.state === 'stopped';
}

function setState(channel: Channel, state: PushState, detail?: { code?: string; message?: string }): void {
  if (channel.state === state) return;
  channel.state = state;
  // `down` is logged once per cause by goDown (a refusal can repeat every minute for hours).
  if (state === 'subscribed' || state === 'stopped') channel.log.info(`push channel ${state}`);
  else if (state === 'connecting') channel.log.debug('push channel connecting', { attempt: channel.attempt });
  channel.options.onState(state, detail);
}

/** Opens a socket with a fresh signature, then waits for connection_ack (handled in onMessage). */
async function connect(channel: Channel): Promise<void> {
  channel.reconnect = undefined;
  setState(channel, 'connecting');
  const { options, runtime } = channel;
  let subprotocol: string;
  try {
    const credentials = await options.credentials();
    subprotocol = authorizationSubprotocol(
      await signEventsRequest({ httpEndpoint: options.httpEndpoint, region: options.region, credentials, body: CONNECT_SIGNED_BODY, signingTime: channel.now() }),
    );
  } catch (error) {
    if (channel.state !== 'stopped') goDown(channel, credentialsCode(error), error instanceof AppError ? error.message : 'the credentials could not be had');
    return;
  }
  if (channel.state === 'stopped') return;
  const socket = new runtime.WebSocket(options.realtimeEndpoint, [EVENTS_SUBPROTOCOL, subprotocol], { perMessageDeflate: false });
  const link: Link = { socket, subscriptionId: randomUUID(), acknowledged: false, subscribed: false, connectionTimeoutMs: DEFAULT_CONNECTION_TIMEOUT_MS, publishes: new Map() };
  channel.link = link;
  setDeadline(channel, link, runtime.ackTimeoutMs, 'ACK_TIMEOUT', 'no connection_ack in time');
  socket.on('open', () => socket.send(connectionInit()));
  socket.on('message', (data) => onMessage(channel, link, String(data)));
  // ws reports a refused handshake or a network failure as an error, then closes.
  socket.on('error', (error) => {
    if (channel.link === link) goDown(channel, link.acknowledged ? 'CONNECTION_CLOSED' : 'CONNECTION_FAILED', error.message);
  });
  socket.on('close', (code) => {
    link.onUnsubscribed?.();
    if (channel.link === link) goDown(channel, 'CONNECTION_CLOSED', `the socket closed (${code})`);
  });
}

function credentialsCode(error: unknown): string {
  return error instanceof AppError ? error.code : 'CONNECTION_FAILED';
}

/** The one deadline a link has at a time; when it passes the link is dead. */
function setDeadline(channel: Channel, link: Link, ms: number, code: PushDownCode, message: string): void {
  channel.runtime.clearTimeout(link.deadline);
  link.deadline = channel.runtime.setTimeout(() => {
    if (channel.link === link) goDown(channel, code, message);
  }, ms);
}

function onMessage(channel: Channel, link: Link, text: string): void {
  const parsed = parseServerMessage(text);
  if (parsed.kind !== 'message') {
    channel.log.debug('push channel ignored a server message', parsed.kind === 'unknown' ? { type: parsed.type } : { reason: parsed.reason });
    return;
  }
  const message = parsed.message;
  if (message.type === 'unsubscribe_success' || message.type === 'unsubscribe_error') link.onUnsubscribed?.();
  if (channel.link !== link) return;
  // Anything the server sends proves the link alive, not only ka.
  if (link.acknowledged && link.subscribed) keepAliveFrom(channel, link);
  switch (message.type) {
    case 'connection_ack':
      if (link.acknowledged) return;
      link.acknowledged = true;
      link.connectionTimeoutMs = message.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS;
      void subscribe(channel, link);
      return;
    case 'connection_error':
      return refused(channel, firstError(message.errors), 'connect');
    case 'subscribe_success':
      if (message.id !== link.subscriptionId) return;
      link.subscribed = true;
      channel.attempt = 0;
      channel.repeats.ended('push');
      keepAliveFrom(channel, link);
      setState(channel, 'subscribed');
      return;
    case 'subscribe_error':
      if (message.id === link.subscriptionId) refused(channel, firstError(message.errors), 'subscribe');
      return;
    case 'data':
      if (message.id === link.subscriptionId) for (const event of eventsOf(message)) deliver(channel, event);
      return;
    case 'publish_success':
    case 'publish_error':
    case 'error':
      return settlePublish(channel, link, message);
    default:
      // ka (already counted as a sign of life), broadcast_error and the unsubscribe answers.
      if (message.type === 'broadcast_error') channel.log.warn('push channel: the service could not broadcast an event', { ...firstError(message.errors) });
  }
}

function deliver(channel: Channel, event: string): void {
  try {
    channel.options.onEvent(event);
  } catch (error) {
    channel.log.error('push channel: the event handler threw', { error });
  }
}

/** From the subscribe on, nothing for connectionTimeoutMs means the link is dead. */
function keepAliveFrom(channel: Channel, link: Link): void {
  setDeadline(channel, link, link.connectionTimeoutMs, 'KEEP_ALIVE_TIMEOUT', `nothing arrived for ${link.connectionTimeoutMs} ms`);
}

async function subscribe(channel: Channel, link: Link): Promise<void> {
  const { options, runtime } = channel;
  setDeadline(channel, link, runtime.subscribeTimeoutMs, 'ACK_TIMEOUT', 'no answer to subscribe in time');
  try {
    const credentials = await options.credentials();
    const authorization = await signEventsRequest({
      httpEndpoint: options.httpEndpoint,
      region: options.region,
      credentials,
      body: subscribeSignedBody(options.channel),
      signingTime: channel.now(),
    });
    if (channel.link === link && link.socket.readyState === WebSocket.OPEN) {
      link.socket.send(subscribeMessage(link.subscriptionId, options.channel, authorization));
    }
  } catch (error) {
    if (channel.link === link) goDown(channel, credentialsCode(error), error instanceof AppError ? error.message : 'the subscribe could not be signed');
  }
}

function refused(channel: Channel, detail: EventsErrorDetail, what: 'connect' | 'subscribe'): void {
  goDown(channel, refusalCode(detail), `${what} refused: ${detail.errorType}: ${detail.message}`, REFUSAL_DOUBLINGS);
}

/** The link is over: drop it, fail what waited on it, say `down` and schedule the next try. */
function goDown(channel: Channel, code: string, message: string, doublings = 0): void {
  const link = channel.link;
  channel.link = undefined;
  if (link !== undefined) endLink(channel, link, publishUnanswered(channel.options.realtimeEndpoint));
  if (channel.state === 'stopped') return;
  channel.repeats.failed('push', code, 'warn', 'push channel down', { code, reason: message });
  setState(channel, 'down', { code, message });
  const delay = reconnectDelay(channel.attempt + doublings, channel.backoff, channel.runtime.random);
  channel.attempt += 1;
  channel.runtime.clearTimeout(channel.reconnect);
  channel.reconnect = channel.runtime.setTimeout(() => void connect(channel), delay);
}

function endLink(channel: Channel, link: Link, reason: AppError): void {
  channel.runtime.clearTimeout(link.deadline);
  for (const pending of link.publishes.values()) {
    channel.runtime.clearTimeout(pending.timer);
    pending.reject(reason);
  }
  link.publishes.clear();
  link.socket.terminate();
}

async function publish(channel: Channel, event: string): Promise<void> {
  if (channel.state === 'stopped') throw channelStopped();
  const { options } = channel;
  const body = publishBody(options.channel, [event]);
  let authorization;
  try {
    authorization = await signEventsRequest({ httpEndpoint: options.httpEndpoint, region: options.region, credentials: await options.credentials(), body, signingTime: channel.now() });
  } catch (error) {
    throw publishFailure(error, options.httpEndpoint);
  }
  // stop() may have come while the publish was signed.
  if (isStopped(channel)) throw channelStopped();
  const link = channel.link;
  if (channel.state === 'subscribed' && link?.subscribed && link.socket.readyState === WebSocket.OPEN) {
    return publishOverSocket(channel, link, event, authorization);
  }
  return publishOverHttp(channel, body, authorization);
}

function publishOverSocket(channel: Channel, link: Link, event: string, authorization: Record<string, string>): Promise<void> {
  const id = randomUUID();
  return new Promise<void>((resolve, reject) => {
    const timer = channel.runtime.setTimeout(() => {
      link.publishes.delete(id);
      reject(publishUnanswered(channel.options.realtimeEndpoint));
    }, channel.runtime.publishTimeoutMs);
    link.publishes.set(id, { resolve, reject, timer });
    link.socket.send(publishMessage(id, channel.options.channel, [event], authorization));
  });
}

function settlePublish(channel: Channel, link: Link, message: Extract<ServerMessage, { type: 'publish_success' | 'publish_error' | 'error' }>): void {
  const pending = message.id === undefined ? undefined : link.publishes.get(message.id);
  if (pending === undefined) {
    if (message.type === 'error') channel.log.warn('push channel: the service reported an error', { ...firstError(message.errors) });
    return;
  }
  link.publishes.delete(message.id!);
  channel.runtime.clearTimeout(pending.timer);
  if (message.type === 'publish_success') {
    const failed = failedEvent(message.failed);
    if (failed === undefined) pending.resolve();
    else pending.reject(publishRefused(failed, channel.options.realtimeEndpoint));
  } else {
    pending.reject(publishRefused(firstError(message.errors), channel.options.realtimeEndpoint));
  }
}

/** The first event the publish handler marked failed, if any ({identifier, index, code, message}). */
function failedEvent(failed: unknown[] | undefined): EventsErrorDetail | undefined {
  const [first] = failed ?? [];
  if (first === undefined) return undefined;
  const { code, message } = (first ?? {}) as { code?: unknown; message?: unknown };
  return { errorType: code === undefined ? 'EventFailed' : `EventFailed ${String(code)}`, message: typeof message === 'string' ? message : 'the event was refused' };
}

async function publishOverHttp(channel: Channel, body: string, authorization: Record<string, string>): Promise<void> {
  const { options, runtime } = channel;
  let answer: Response;
  let text: string;
  try {
    answer = await runtime.fetch(options.httpEndpoint, {
      method: 'POST',
      headers: httpPublishHeaders(authorization),
      body,
      signal: AbortSignal.timeout(runtime.publishTimeoutMs),
    });
    text = await answer.text();
  } catch (error) {
    throw publishFailure(error, options.httpEndpoint);
  }
  const json = parseJson(text);
  if (answer.ok) {
    const failed = failedEvent(publishResultSchema.safeParse(json).data?.failed);
    if (failed !== undefined) throw publishRefused(failed, options.httpEndpoint, answer.status);
    return;
  }
  const errors = httpErrorsSchema.safeParse(json).data?.errors;
  const detail = errors?.length ? firstError(errors) : { errorType: answer.headers.get('x-amzn-errortype') ?? `HTTP ${answer.status}`, message: answer.statusText || 'no message' };
  throw publishRefused(detail, options.httpEndpoint, answer.status);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function stop(channel: Channel): Promise<void> {
  if (channel.state === 'stopped') return;
  setState(channel, 'stopped');
  channel.runtime.clearTimeout(channel.reconnect);
  const link = channel.link;
  channel.link = undefined;
  if (link === undefined) return;
  channel.runtime.clearTimeout(link.deadline);
  for (const pending of link.publishes.values()) {
    channel.runtime.clearTimeout(pending.timer);
    pending.reject(channelStopped());
  }
  link.publishes.clear();
  await closeGracefully(channel, link);
}

/** Unsubscribes when subscribed (the guide asks it before a disconnect), then closes; drops the socket if either takes too long. */
async function closeGracefully(channel: Channel, link: Link): Promise<void> {
  const { socket } = link;
  const waitFor = (ms: number, start: (done: () => void) => void) =>
    new Promise<void>((resolve) => {
      const timer = channel.runtime.setTimeout(resolve, ms);
      start(() => {
        channel.runtime.clearTimeout(timer);
        resolve();
      });
    });
  if (link.subscribed && socket.readyState === WebSocket.OPEN) {
    await waitFor(channel.runtime.closeTimeoutMs, (done) => {
      link.onUnsubscribed = done;
      socket.send(unsubscribeMessage(link.subscriptionId));
    });
  }
  if (socket.readyState === WebSocket.CLOSED) return;
  await waitFor(channel.runtime.closeTimeoutMs, (done) => {
    socket.once('close', done);
    socket.close(NORMAL_CLOSURE);
  });
  socket.terminate();
}
