// The OpenID Connect steps against Auth0, one function per step, named as openid-client and the
// specs name them. Each failure comes out as an AppError (auth-errors.ts).
import * as oidc from 'openid-client';
import { AppError } from '../../shared/errors';
import type { Logger } from '../platform/log';
import { oidcFailure, type OidcContext, type OidcStep } from './auth-errors';
import { assertCognitoCanVerify, readIdToken, type IdTokenClaims } from './id-token';

/** `offline_access` is what makes Auth0 issue the refresh token that lets a restart skip the browser. */
export const SCOPES = 'openid profile email offline_access';

export interface ProviderSettings extends OidcContext {
  audience?: string;
  connection?: string;
}

export interface AuthorizationRequest {
  url: URL;
  redirectUri: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface SignInParameters {
  redirectUri: string;
  /** Chosen before the loopback server starts, which must know it to refuse any other. */
  state: string;
  prompt?: string;
  loginHint?: string;
  /** Overrides the profile's connection for this sign-in (a social or enterprise connection). */
  connection?: string;
}

/** What a grant gives the session: the tokens it keeps, and the ID token's claims. */
export interface GrantedTokens {
  idToken: string;
  claims: IdTokenClaims;
  refreshToken: string | undefined;
}

export const randomState = oidc.randomState;

export async function discoverProvider(settings: ProviderSettings, options: { timeoutSeconds?: number } = {}): Promise<oidc.Configuration> {
  const issuer = issuerUrl(settings);
  return step('discovery', settings, () =>
    oidc.discovery(issuer, settings.clientId, undefined, oidc.None(), {
      // Plain http is only ever allowed for an issuer on this machine (localcloud).
      execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
      timeout: options.timeoutSeconds ?? 30,
    }),
  );
}

export async function buildSignInRequest(
  config: oidc.Configuration,
  settings: ProviderSettings,
  parameters: SignInParameters,
): Promise<AuthorizationRequest> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const { state } = parameters;
  const nonce = oidc.randomNonce();
  const query: Record<string, string> = {
    redirect_uri: parameters.redirectUri,
    scope: SCOPES,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  };
  if (settings.audience) query.audience = settings.audience;
  const connection = parameters.connection ?? settings.connection;
  if (connection) query.connection = connection;
  if (parameters.prompt) query.prompt = parameters.prompt;
  if (parameters.loginHint) query.login_hint = parameters.loginHint;
  const url = oidc.buildAuthorizationUrl(config, query);
  return { url, redirectUri: parameters.redirectUri, state, nonce, codeVerifier };
}

/** `callbackUrl` is the full URL the loopback server received, with its exact host and port. */
export async function authorizationCodeGrant(
  config: oidc.Configuration,
  settings: ProviderSettings,
  callbackUrl: URL,
  request: AuthorizationRequest,
): Promise<GrantedTokens> {
  const response = await step('sign-in', settings, () =>
    oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: request.codeVerifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
      idTokenExpected: true,
    }),
  );
  return grantedTokens(response);
}

export async function refreshTokenGrant(
  config: oidc.Configuration,
  settings: ProviderSettings,
  refreshToken: string,
): Promise<GrantedTokens> {
  const response = await step('refresh', settings, () => oidc.refreshTokenGrant(config, refreshToken));
  if (response.id_token === undefined) {
    throw new AppError(
      'IDP_ERROR',
      'The identity provider refreshed the session without a new ID token, which Cognito needs. Check that the app asks for the openid scope (Auth0 Dashboard > Applications > (app) > Advanced Settings > OAuth: OIDC Conformant).',
    );
  }
  return grantedTokens(response);
}

/** Revokes the refresh token where the IdP offers revocation (Auth0 does). False when it does not. */
export async function tokenRevocation(config: oidc.Configuration, settings: ProviderSettings, refreshToken: string): Promise<boolean> {
  if (config.serverMetadata().revocation_endpoint === undefined) return false;
  await step('revocation', settings, () => oidc.tokenRevocation(config, refreshToken, { token_type_hint: 'refresh_token' }));
  return true;
}

/** tokenRevocation that never throws: a failure is logged and reported as false. */
export async function revokeQuietly(config: oidc.Configuration, settings: ProviderSettings, refreshToken: string, log: Logger): Promise<boolean> {
  try {
    return await tokenRevocation(config, settings, refreshToken);
  } catch (error) {
    log.warn('could not revoke the refresh token', { error });
    return false;
  }
}

/** The IdP's logout page: end_session_endpoint when advertised, else Auth0's /v2/logout. */
export function buildLogoutUrl(config: oidc.Configuration, settings: ProviderSettings, returnTo?: string): URL {
  if (config.serverMetadata().end_session_endpoint !== undefined) {
    return oidc.buildEndSessionUrl(config, {
      client_id: settings.clientId,
      ...(returnTo === undefined ? {} : { post_logout_redirect_uri: returnTo }),
    });
  }
  const url = new URL('v2/logout', issuerUrl(settings));
  url.searchParams.set('client_id', settings.clientId);
  if (returnTo !== undefined) url.searchParams.set('returnTo', returnTo);
  return url;
}

function grantedTokens(response: oidc.TokenEndpointResponse): GrantedTokens {
  const idToken = response.id_token;
  if (idToken === undefined) {
    throw new AppError('ID_TOKEN_INVALID', 'The identity provider did not send an ID token. Sign in again.');
  }
  const { alg, claims } = readIdToken(idToken);
  assertCognitoCanVerify(alg);
  return { idToken, claims, refreshToken: response.refresh_token };
}

function issuerUrl(settings: ProviderSettings): URL {
  let url: URL;
  try {
    url = new URL(settings.issuer);
  } catch {
    throw new AppError('IDP_MISCONFIGURED', `The issuer "${settings.issuer}" in the cloud profile is not a URL. For Auth0 it is https://YOUR_TENANT.REGION.auth0.com/.`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new AppError('IDP_MISCONFIGURED', `The issuer ${settings.issuer} must use https (only a local test issuer on 127.0.0.1 may use http).`);
  }
  return url;
}

async function step<T>(name: OidcStep, settings: ProviderSettings, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw oidcFailure(error, name, settings);
  }
}
