// The `picture` claim points here (Auth0 points at Gravatar): a letter on a disc, served by the
// stand-in itself so that showing a profile never reaches the internet.
import type { DemoUser } from './demo-users';
import type { IdpMiddleware } from './idp-middleware';
import { escapeHtml } from './idp-pages';

const AVATAR_PATH = /^\/avatars\/([\w.-]+)\.svg$/;

export function avatarUrl(issuer: string, user: DemoUser): string {
  return `${issuer}avatars/${encodeURIComponent(user.nickname)}.svg`;
}

export function avatars(users: DemoUser[]): IdpMiddleware {
  return async (ctx, next) => {
    const nickname = AVATAR_PATH.exec(ctx.path)?.[1];
    const user = users.find((candidate) => candidate.nickname === nickname);
    if (ctx.method !== 'GET' || !user) return next();
    ctx.type = 'image/svg+xml';
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96"><circle cx="48" cy="48" r="48" fill="#635dff"/><text x="48" y="64" font-family="sans-serif" font-size="44" text-anchor="middle" fill="#fff">${escapeHtml(user.name.charAt(0).toUpperCase())}</text></svg>`;
  };
}
