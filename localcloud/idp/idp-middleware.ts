// The Koa middleware shape oidc-provider runs in front of its own routes (`provider.use`).
import type Provider from 'oidc-provider';
import { PAGE_CSP } from './idp-pages';

export type IdpMiddleware = Parameters<Provider['use']>[0];
export type IdpContext = Parameters<IdpMiddleware>[0];

/** Answers with one of the stand-in's own HTML pages, which run no scripts and cannot be framed. */
export function respondWithPage(ctx: IdpContext, status: number, html: string): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Content-Security-Policy', PAGE_CSP);
  ctx.type = 'html';
  ctx.body = html;
}
