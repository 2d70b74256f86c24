// Auth0's `/v2/logout?client_id=…&returnTo=…`: ends the browser session at the IdP and sends the
// browser back to the application. Auth0 only returns to URLs on the application's "Allowed Logout
// URLs"; the stand-in allows loopback http URLs (any port), which is where a desktop app listens.
import type Provider from 'oidc-provider';
import { type IdpMiddleware, respondWithPage } from './idp-middleware';
import { messagePage } from './idp-pages';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopbackHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && !url.username && !url.password;
  } catch {
    return false;
  }
}

export function auth0Logout(provider: Provider, clientIds: ReadonlySet<string>, sessionCookie: object): IdpMiddleware {
  return async (ctx, next) => {
    if (ctx.path !== '/v2/logout' || ctx.method !== 'GET') return next();
    const { client_id: clientId, returnTo } = ctx.query;
    if (clientId !== undefined && (typeof clientId !== 'string' || !clientIds.has(clientId))) {
      respondWithPage(ctx, 400, messagePage('Logout failed', `The "client_id" querystring parameter "${String(clientId)}" is not a known application.`));
      return;
    }
    if (returnTo !== undefined && (typeof returnTo !== 'string' || !isLoopbackHttpUrl(returnTo))) {
      respondWithPage(
        ctx,
        400,
        messagePage(
          'Logout failed',
          `The "returnTo" querystring parameter "${String(returnTo)}" is not defined as a valid URL in "Allowed Logout URLs". The local Auth0 stand-in allows http://127.0.0.1, http://localhost and http://[::1] URLs on any port.`,
        ),
      );
      return;
    }
    const session = await provider.Session.get(ctx);
    await session.destroy();
    ctx.cookies.set(provider.cookieName('session'), null, sessionCookie);
    if (returnTo === undefined) {
      respondWithPage(ctx, 200, messagePage('Logged out', 'You are logged out.'));
      return;
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(returnTo);
  };
}
