// One interactive sign-in, as RFC 8252 describes it for native apps: PKCE + state + nonce, the
// system browser, and a loopback redirect. Returns the verified tokens; stores nothing itself.
import type { Configuration } from 'openid-client';
import { AppError } from '../../shared/errors';
import type { Logger } from '../platform/log';
import type { Platform } from '../platform/platform';
import {
  authorizationCodeGrant,
  buildSignInRequest,
  randomState,
  revokeQuietly,
  type GrantedTokens,
  type ProviderSettings,
} from './identity-provider';
import { signInCancelled } from './auth-errors';
import { startLoopbackServer } from './loopback-server';

export interface SignInOptions {
  prompt?: string;
  loginHint?: string;
  connection?: string;
}

export interface SignInContext {
  config: Configuration;
  settings: ProviderSettings;
  platform: Platform;
  log: Logger;
  redirectPort?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Last check before the browser tab is told the outcome (the Cognito check); throwing refuses the
   * sign-in, and the refresh token it refused is revoked so it cannot outlive the refusal.
   */
  admit?: (granted: GrantedTokens & { refreshToken: string }) => Promise<void>;
}

export async function signInWithBrowser(context: SignInContext, options: SignInOptions = {}): Promise<GrantedTokens & { refreshToken: string }> {
  const state = randomState();
  const server = await startLoopbackServer({
    expectedState: state,
    port: context.redirectPort,
    timeoutMs: context.timeoutMs,
    signal: context.signal,
  });
  try {
    const request = await buildSignInRequest(context.config, context.settings, {
      redirectUri: server.redirectUri,
      state,
      prompt: options.prompt,
      loginHint: options.loginHint,
      connection: options.connection,
    });
    context.log.info('opening the system browser for sign-in', { redirectUri: server.redirectUri });
    try {
      await context.platform.openExternal(request.url.href);
    } catch (cause) {
      throw new AppError('BROWSER_NOT_OPENED', 'The app could not open your web browser for the sign-in. Check that a default browser is set, then click Sign in again.', { cause });
    }
    const callbackUrl = await server.callback;
    const granted = await authorizationCodeGrant(context.config, context.settings, callbackUrl, request);
    if (granted.refreshToken === undefined) {
      throw new AppError(
        'NO_REFRESH_TOKEN',
        'Auth0 did not issue a refresh token, so the app cannot keep you signed in. Auth0 Dashboard > Applications > (app) > Advanced Settings > Grant Types: enable Refresh Token (and, with an API audience, APIs > (api) > Settings: Allow Offline Access).',
      );
    }
    const complete = { ...granted, refreshToken: granted.refreshToken };
    await admitted(context, complete);
    if (context.signal?.aborted) throw signInCancelled();
    await server.finish();
    return complete;
  } catch (error) {
    const failure = error instanceof AppError ? error : new AppError('INTERNAL', 'The sign-in failed unexpectedly. Click Sign in to try again.', { cause: error });
    await server.finish(failure.view());
    throw failure;
  }
}

async function admitted(context: SignInContext, granted: GrantedTokens & { refreshToken: string }): Promise<void> {
  try {
    await context.admit?.(granted);
  } catch (error) {
    await revokeQuietly(context.config, context.settings, granted.refreshToken, context.log);
    throw error;
  }
}
