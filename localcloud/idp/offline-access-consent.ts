// Auth0 issues a refresh token whenever an application asks for `offline_access`. oidc-provider
// keeps that scope only when consent is prompted, so such requests ask it for consent — which the
// login interaction grants without showing anything.
import type { IdpMiddleware } from './idp-middleware';

export function offlineAccessConsent(authorizationPath: string): IdpMiddleware {
  return async (ctx, next) => {
    if (ctx.path === authorizationPath && ctx.method === 'GET') {
      const { scope, prompt = '' } = ctx.query;
      if (typeof scope === 'string' && typeof prompt === 'string' && scope.split(' ').includes('offline_access')) {
        const prompts = prompt.split(' ').filter(Boolean);
        if (!prompts.includes('none') && !prompts.includes('consent')) {
          ctx.query = { ...ctx.query, prompt: [...prompts, 'consent'].join(' ') };
        }
      }
    }
    return next();
  };
}
