// AppSync Events' refusals, in the shape the service sends them: `{errors: [{errorType, message}]}`,
// as the body of an HTTP answer (with x-amzn-ErrorType, as AppSync sets it) or inside a WebSocket
// message (`connection_error`, `subscribe_error`, `publish_error`, `unsubscribe_error`, `error`).
// Where AWS's documentation shows no wording, the names below are the ones AWS clients were seen to
// receive (Amplify's and the AppSync community's reports); each such choice is marked.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { DynamoDbError } from '../dynamodb/dynamodb-errors';

export interface EventsError {
  /** The HTTP status when the refusal answers an HTTP request. */
  status: number;
  errorType: string;
  message: string;
}

const error = (status: number, errorType: string, message: string): EventsError => ({ status, errorType, message });

/** The IAM layer said no (missing, unknown or expired credentials, or a key this API does not accept). */
export const unauthorized = (message = 'You are not authorized to make this call.') => error(401, 'UnauthorizedException', message);
export const badRequest = (message: string) => error(400, 'BadRequestException', message);
/** An onSubscribe/onPublish handler called util.unauthorized(): AppSync reports `Unauthorized`, not the IAM layer's exception. */
export const handlerUnauthorized = (message: string) => error(401, 'Unauthorized', message);
/** The onSubscribe handler failed (the documentation's own example error). */
export const subscriptionProcessing = (message = 'There was an error processing the operation') => error(500, 'SubscriptionProcessingError', message);
/** The onPublish handler failed, or a message could not be processed. */
export const messageProcessing = (message = 'There was an error processing the message') => error(500, 'MessageProcessingError', message);
export const unknownOperation = (id: string) => error(400, 'UnknownOperationError', `Unknown operation id ${id}`);
// Not documented: the documentation only says AppSync answers a reused ID with an error that says so.
export const duplicatedOperation = (id: string) => error(400, 'DuplicatedOperationError', `Duplicated operation with id ${id}`);
export const unsupportedOperation = (type: string) => error(400, 'UnsupportedOperation', `${type} not supported through the realtime channel`);
export const notFound = () => error(404, 'NotFoundException', 'The requested resource was not found. Events are published with POST /event.');
export const requestTooLarge = () => error(413, 'BadRequestException', 'Request Entity Too Large');

/**
 * How AppSync reports a signature the SigV4 check refused. Credential problems are the IAM layer's
 * UnauthorizedException with the STS wording; a wrong signature is InvalidSignatureException over
 * HTTP (status 403) and BadRequestException inside a WebSocket message, as AWS clients report both.
 */
export function signatureRefusal(refusal: DynamoDbError, over: 'http' | 'websocket'): EventsError {
  const name = refusal.type.slice(refusal.type.indexOf('#') + 1);
  switch (name) {
    case 'MissingAuthenticationTokenException':
      return unauthorized('Missing authorization header');
    case 'UnrecognizedClientException':
    case 'ExpiredTokenException':
      return unauthorized(refusal.message);
    default: {
      // The verifier quotes the whole Authorization header in some messages; a reply never echoes a signature.
      const message = refusal.message.replace(/\s*Authorization=.*$/s, '');
      return over === 'http' ? error(403, name, message) : badRequest(message);
    }
  }
}

/** The `errors` list every refusal carries. */
export function errorsOf(refusal: EventsError): { errors: { errorType: string; message: string }[] } {
  return { errors: [{ errorType: refusal.errorType, message: refusal.message }] };
}

export function sendEventsError(response: ServerResponse, refusal: EventsError): void {
  const body = JSON.stringify(errorsOf(refusal));
  response.writeHead(refusal.status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
    'x-amzn-errortype': refusal.errorType,
  });
  response.end(body);
}
