// How the push channel names what went wrong: a short code for `onState('down', {code})` and, for a
// publish, an AppError whose sentence says what to do. AppSync Events names its refusals by
// `errorType` (UnauthorizedException from IAM, Unauthorized from the namespace's handlers,
// BadRequestException for a request or signature it cannot accept).
import { AppError } from '../../../shared/errors';
import { isNetworkFailure, networkDown } from '../../platform/network-failure';
import type { EventsErrorDetail } from './events-messages';

/**
 * Why the channel is down:
 * - UNAUTHORIZED: IAM or the channel's handler refused the connect or the subscribe;
 * - CLOCK_SKEW: the signature's date is too far from AWS's clock;
 * - REFUSED: any other refusal of the connect or subscribe (its errorType is in the message);
 * - CONNECTION_FAILED: the socket could not be opened;
 * - CONNECTION_CLOSED: the socket closed;
 * - ACK_TIMEOUT: no connection_ack or subscribe answer in time;
 * - KEEP_ALIVE_TIMEOUT: nothing arrived for connectionTimeoutMs;
 * - or the code of the AppError the credentials failed with (OFFLINE, NOT_SIGNED_IN, …).
 */
export type PushDownCode =
  | 'UNAUTHORIZED'
  | 'CLOCK_SKEW'
  | 'REFUSED'
  | 'CONNECTION_FAILED'
  | 'CONNECTION_CLOSED'
  | 'ACK_TIMEOUT'
  | 'KEEP_ALIVE_TIMEOUT';

const AUTHORIZATION_ERRORS = new Set([
  'UnauthorizedException',
  'Unauthorized',
  'UnrecognizedClientException',
  'ExpiredTokenException',
  'AccessDeniedException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
]);

function isClockSkew(detail: EventsErrorDetail): boolean {
  return /Signature (expired|not yet current)/i.test(detail.message);
}

/** The down code of a refusal the server sent. A bad signature is an authorization failure unless its date is what is wrong. */
export function refusalCode(detail: EventsErrorDetail): PushDownCode {
  if (isClockSkew(detail)) return 'CLOCK_SKEW';
  if (AUTHORIZATION_ERRORS.has(detail.errorType)) return 'UNAUTHORIZED';
  // AppSync reports a signature it cannot match as BadRequestException over the WebSocket.
  if (detail.errorType === 'BadRequestException' && /signature/i.test(detail.message)) return 'UNAUTHORIZED';
  return 'REFUSED';
}

const SERVICE = 'the push service (AppSync Events)';

/** A publish the service refused, as the AppError the caller gets. */
export function publishRefused(detail: EventsErrorDetail, endpoint: string, status?: number): AppError {
  const cause = { cause: detail };
  switch (refusalCode(detail)) {
    case 'CLOCK_SKEW':
      return new AppError(
        'CLOCK_SKEW',
        `${SERVICE} refused a change notice because this computer's clock is off (${detail.message}). Set the date and time to update automatically; changes still reach other devices at their next poll.`,
        cause,
      );
    case 'UNAUTHORIZED':
      return new AppError(
        'ACCESS_DENIED',
        `${SERVICE} at ${originOf(endpoint)} refused to publish a change notice on this account's channel (${detail.errorType}: ${detail.message}). Changes still reach other devices at their next poll. If it keeps happening, sign out and sign in again; an administrator should check that the identity pool's authenticated role allows appsync:EventConnect, EventSubscribe and EventPublish on the Events API's sync namespace, as infra/template.yaml does.`,
        cause,
      );
    default:
      if (status === 429 || /Throttl|TooManyRequests|LimitExceeded/i.test(detail.errorType)) {
        return new AppError('THROTTLED', `${SERVICE} is receiving more change notices than it allows right now; other devices get the change at their next poll.`, cause);
      }
      return new AppError(
        'INTERNAL',
        `${SERVICE} could not publish a change notice (${detail.errorType}: ${detail.message}). Changes still reach other devices at their next poll; if it keeps happening, tell your administrator.`,
        cause,
      );
  }
}

/** A publish that got no answer: the socket closed, the time ran out, or the host is unreachable. */
export function publishUnanswered(endpoint: string, cause?: unknown): AppError {
  return networkDown(SERVICE, endpoint, cause);
}

/** What a failure to reach the service (fetch, socket) becomes; an AppError (credentials) passes through. */
export function publishFailure(error: unknown, endpoint: string): AppError {
  if (error instanceof AppError) return error;
  if (isNetworkFailure(error)) return publishUnanswered(endpoint, error);
  return new AppError('INTERNAL', `Publishing a change notice to ${SERVICE} failed unexpectedly. Changes still reach other devices at their next poll.`, { cause: error });
}

/** A publish after stop(). */
export function channelStopped(): AppError {
  return new AppError('INTERNAL', 'The push channel was stopped, so this change notice was not sent; other devices get the change at their next poll.');
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
