// The AppSync Events WebSocket protocol's messages (docs.aws.amazon.com/appsync/latest/eventapi/
// event-api-websocket-protocol.html): what the client sends, built here, and what the server sends,
// validated here with zod, since a message from the network is untrusted until it has a shape.
import { z } from 'zod';

/** The subprotocol every Events connection names; the other one carries the signed connect headers. */
export const EVENTS_SUBPROTOCOL = 'aws-appsync-event-ws';
/** What connection_ack announces when it says nothing (the documented 5 minutes). */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 300_000;

const errorsSchema = z
  .array(z.looseObject({ errorType: z.string().optional(), message: z.string().optional() }))
  .optional();

const withId = { id: z.string() };

/** Every server message the client acts on; unknown types are logged and ignored, never fatal. */
export const serverMessageSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('connection_ack'), connectionTimeoutMs: z.number().int().positive().optional() }),
  z.looseObject({ type: z.literal('connection_error'), errors: errorsSchema }),
  z.looseObject({ type: z.literal('ka') }),
  z.looseObject({ type: z.literal('subscribe_success'), ...withId }),
  z.looseObject({ type: z.literal('subscribe_error'), ...withId, errors: errorsSchema }),
  // One event per message as JSON text (what AWS's own clients read); the guide's example shows a
  // list of them, so both are accepted.
  z.looseObject({ type: z.literal('data'), ...withId, event: z.union([z.string(), z.array(z.string())]) }),
  z.looseObject({ type: z.literal('broadcast_error'), ...withId, errors: errorsSchema }),
  z.looseObject({ type: z.literal('unsubscribe_success'), ...withId }),
  z.looseObject({ type: z.literal('unsubscribe_error'), ...withId, errors: errorsSchema }),
  z.looseObject({
    type: z.literal('publish_success'),
    ...withId,
    successful: z.array(z.unknown()).optional(),
    failed: z.array(z.unknown()).optional(),
  }),
  z.looseObject({ type: z.literal('publish_error'), ...withId, errors: errorsSchema }),
  z.looseObject({ type: z.literal('error'), id: z.string().optional(), errors: errorsSchema }),
]);

export type ServerMessage = z.infer<typeof serverMessageSchema>;

/** The first error a refusal names, as `{errorType, message}` with blanks filled. */
export interface EventsErrorDetail {
  errorType: string;
  message: string;
}

export type ParsedServerMessage =
  | { kind: 'message'; message: ServerMessage }
  /** JSON with a `type` this client does not know (AWS may add some). */
  | { kind: 'unknown'; type: string }
  /** Not JSON, or a known type in a shape it should not have. */
  | { kind: 'invalid'; reason: string };

export function parseServerMessage(text: string): ParsedServerMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'not JSON' };
  }
  const parsed = serverMessageSchema.safeParse(json);
  if (parsed.success) return { kind: 'message', message: parsed.data };
  const type = (json as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && !serverMessageSchema.options.some((option) => option.shape.type.value === type)) {
    return { kind: 'unknown', type: type.slice(0, 64) };
  }
  return { kind: 'invalid', reason: typeof type === 'string' ? `a ${type.slice(0, 64)} message of an unexpected shape` : 'no type' };
}

export function firstError(errors: { errorType?: string; message?: string }[] | undefined): EventsErrorDetail {
  const [first] = errors ?? [];
  return { errorType: first?.errorType ?? 'UnknownError', message: first?.message ?? 'no message' };
}

/** The events a data message carries, each the JSON text it was published as. */
export function eventsOf(message: Extract<ServerMessage, { type: 'data' }>): string[] {
  return typeof message.event === 'string' ? [message.event] : message.event;
}

export type Authorization = Record<string, string>;

export const connectionInit = () => JSON.stringify({ type: 'connection_init' });

export const subscribeMessage = (id: string, channel: string, authorization: Authorization) =>
  JSON.stringify({ type: 'subscribe', id, channel, authorization });

export const unsubscribeMessage = (id: string) => JSON.stringify({ type: 'unsubscribe', id });

export const publishMessage = (id: string, channel: string, events: string[], authorization: Authorization) =>
  JSON.stringify({ type: 'publish', id, channel, events, authorization });

/** The body a subscribe's signature covers: the channel alone, as the guide's request to sign shows. */
export const subscribeSignedBody = (channel: string) => JSON.stringify({ channel });

/** The body a publish's signature covers (and an HTTP publish sends): channel, then events. */
export const publishBody = (channel: string, events: string[]) => JSON.stringify({ channel, events });

/** The body the connect signature covers. */
export const CONNECT_SIGNED_BODY = '{}';

/** What publish_success and the HTTP answer say: events the handler marked failed make the publish fail. */
export const publishResultSchema = z.looseObject({
  successful: z.array(z.unknown()).optional(),
  failed: z.array(z.unknown()).optional(),
});

/** An HTTP refusal's body. */
export const httpErrorsSchema = z.looseObject({ errors: errorsSchema });
