// Telling "the network is down or the host is unreachable" apart from "the service said no", for
// every outgoing call (IdP, Cognito, DynamoDB), and the two errors the user sees for it.
import { AppError } from '../../shared/errors';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** True when `error` (or a cause of it) says the request never got an answer. */
export function isNetworkFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth += 1) {
    const { code, name, message } = current as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (name === 'TimeoutError' || name === 'RequestTimeout') return true;
    if (current instanceof TypeError && message === 'fetch failed') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export function networkDown(service: string, url: string, cause?: unknown): AppError {
  let where = url;
  try {
    where = new URL(url).origin;
  } catch {
    // not a URL: say it as given
  }
  return new AppError(
    'NETWORK_DOWN',
    `Can't reach ${service} at ${where}. Check your internet connection and try again; if it keeps failing, check that address in the cloud profile.`,
    { cause },
  );
}

export function offline(): AppError {
  return new AppError(
    'OFFLINE',
    "You're offline (or Work offline is on), so the app can't reach the cloud right now. It will try again when the network is back.",
  );
}
