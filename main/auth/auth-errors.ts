// Every way a sign-in or a token refresh can fail, as a code and a sentence saying what to do.
import { AuthorizationResponseError, ResponseBodyError } from 'openid-client';
import { AppError } from '../../shared/errors';
import { isNetworkFailure, networkDown } from '../platform/network-failure';
import { idTokenHs256 } from './id-token';

/** Which protocol step failed: the same IdP error means different things in different steps. */
export type OidcStep = 'discovery' | 'sign-in' | 'refresh' | 'revocation';

export interface OidcContext {
  issuer: string;
  clientId: string;
}

const GRANT_TYPES_SETTING =
  'Auth0 Dashboard > Applications > (app) > Advanced Settings > Grant Types: enable Authorization Code and Refresh Token';

/** The IdP sent the browser back with `error` (RFC 6749 §4.1.2.1) instead of a code. */
export function authorizationResponseFailure(error: string, description: string | undefined): AppError {
  const detail = description ? `: ${description}` : '';
  switch (error) {
    case 'access_denied':
      return new AppError('SIGN_IN_DENIED', `The sign-in was refused${detail}. Try again, or ask your administrator for access.`);
    case 'unauthorized_client':
      return new AppError('IDP_CLIENT_NOT_ALLOWED', `The identity provider does not let this app sign in with a code${detail}. ${GRANT_TYPES_SETTING}.`);
    case 'login_required':
    case 'interaction_required':
    case 'consent_required':
      return new AppError('IDP_ERROR', `The identity provider needs you to sign in again (${error}${detail}). Click Sign in.`);
    default:
      return new AppError('IDP_ERROR', `The identity provider refused the sign-in (${error}${detail}). Try again; if it keeps happening, tell your administrator.`);
  }
}

export function sessionExpired(cause?: unknown): AppError {
  return new AppError(
    'SESSION_EXPIRED',
    'Your session has ended (it expired, or you signed out elsewhere). Sign in again.',
    { cause },
  );
}

/** Maps whatever openid-client (or fetch under it) threw during `step`. */
export function oidcFailure(error: unknown, step: OidcStep, context: OidcContext): AppError {
  if (error instanceof AppError) return error;
  if (isNetworkFailure(error)) return networkDown('the identity provider', context.issuer, error);
  if (signedWithSharedSecret(error)) return idTokenHs256();

  if (error instanceof AuthorizationResponseError) {
    return authorizationResponseFailure(error.error, error.error_description);
  }
  if (error instanceof ResponseBodyError) return tokenEndpointFailure(error, step, context);

  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const claim = findInCauses(error, (cause) => (typeof cause.claim === 'string' ? cause.claim : undefined));
  switch (code) {
    case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
      return new AppError(
        'CLOCK_SKEW',
        "The identity provider's tokens look expired or not yet valid to this computer, so its clock is probably wrong. Set the date and time to update automatically, then try again.",
        { cause: error },
      );
    case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
      if (claim === 'aud' || claim === 'azp') {
        return new AppError(
          'ID_TOKEN_INVALID',
          `The identity provider issued an ID token for another application (not client ID ${context.clientId}). Check the clientId in the cloud profile against Auth0 Dashboard > Applications > (app) > Client ID.`,
          { cause: error },
        );
      }
      if (claim === 'iss') return issuerMismatch(context, error);
      return new AppError('ID_TOKEN_INVALID', 'The ID token does not belong to this sign-in. Sign in again.', { cause: error });
    case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
      return issuerMismatch(context, error);
    case 'OAUTH_INVALID_RESPONSE':
      if (/"state"/.test(causeMessages(error))) {
        return stateMismatch();
      }
      break;
    default:
      break;
  }
  if (typeof code === 'string' && code.startsWith('OAUTH_')) {
    return step === 'discovery'
      ? new AppError(
          'IDP_MISCONFIGURED',
          `${context.issuer} did not answer as an OpenID Connect provider (${message}). Check the issuer in the cloud profile: for Auth0 it is https://YOUR_TENANT.REGION.auth0.com/ (or your custom domain).`,
          { cause: error },
        )
      : new AppError('IDP_ERROR', `The identity provider sent an answer the app could not use (${message}). Try again.`, { cause: error });
  }
  return new AppError('INTERNAL', 'Something went wrong while talking to the identity provider. Try again; if it keeps happening, restart the app.', { cause: error });
}

export function notSignedIn(): AppError {
  return new AppError('NOT_SIGNED_IN', 'You are not signed in. Click Sign in.');
}

export function signInCancelled(): AppError {
  return new AppError('SIGN_IN_CANCELLED', 'The sign-in was cancelled. Click Sign in when you are ready.');
}

export function stateMismatch(): AppError {
  return new AppError(
    'SIGN_IN_STATE_MISMATCH',
    'The browser came back with an answer that does not belong to this sign-in (it may be from an older sign-in tab). Nothing was changed. Click Sign in to try again.',
  );
}

function tokenEndpointFailure(error: ResponseBodyError, step: OidcStep, context: OidcContext): AppError {
  const detail = error.error_description ? `: ${error.error_description}` : '';
  switch (error.error) {
    case 'invalid_grant':
      return step === 'refresh'
        ? sessionExpired(error)
        : new AppError('SIGN_IN_CODE_REJECTED', `The identity provider did not accept the sign-in code (it may have expired or been used already${detail}). Sign in again.`, { cause: error });
    case 'invalid_client':
      return new AppError(
        'IDP_CLIENT_UNKNOWN',
        `The identity provider does not accept client ID ${context.clientId} as a native app${detail}. Check the clientId in the cloud profile, and in Auth0 Dashboard > Applications > (app) choose Application Type: Native and Credentials > Authentication Method: None.`,
        { cause: error },
      );
    case 'unauthorized_client':
      return new AppError('IDP_CLIENT_NOT_ALLOWED', `The identity provider does not allow this grant for client ID ${context.clientId}${detail}. ${GRANT_TYPES_SETTING}.`, { cause: error });
    default:
      return new AppError('IDP_ERROR', `The identity provider refused the request (${error.error}${detail}). Try again; if it keeps happening, tell your administrator.`, { cause: error });
  }
}

function issuerMismatch(context: OidcContext, cause: unknown): AppError {
  return new AppError(
    'IDP_MISCONFIGURED',
    `The identity provider calls itself by another issuer than ${context.issuer}. Set the issuer in the cloud profile exactly as "issuer" in ${context.issuer.replace(/\/?$/, '/')}.well-known/openid-configuration (Auth0's ends with a slash).`,
    { cause },
  );
}

/** openid-client refuses an HS-signed ID token before we see it when the IdP does not advertise HS256. */
function signedWithSharedSecret(error: unknown): boolean {
  const alg = findInCauses(error, (cause) => {
    const header = cause.header as { alg?: unknown } | undefined;
    return typeof header?.alg === 'string' ? header.alg : undefined;
  });
  return alg !== undefined && /^HS\d+$/.test(alg);
}

function causeMessages(error: unknown): string {
  const messages: string[] = [];
  findInCauses(error, (cause) => void (typeof cause.message === 'string' && messages.push(cause.message)));
  return messages.join(' | ');
}

function findInCauses<T>(error: unknown, pick: (cause: Record<string, unknown>) => T | undefined): T | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth += 1) {
    const found = pick(current as Record<string, unknown>);
    if (found !== undefined) return found;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
