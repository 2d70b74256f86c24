// The stand-in's Universal Login: oidc-provider sends every interaction here. The login prompt gets
// a Username/Password page; consent is never asked (as for an Auth0 first-party application): the
// scopes are granted as soon as the person has logged in.
import type Provider from 'oidc-provider';
import { authenticate, type DemoUser } from './demo-users';
import { type IdpContext, type IdpMiddleware, respondWithPage } from './idp-middleware';
import { loginPage, messagePage, WRONG_CREDENTIALS } from './idp-pages';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

const GRANTED_SCOPE = 'openid profile email offline_access';
const LOGIN_PATH = /^\/u\/login\/([\w-]+)$/;
const MAX_FORM_BYTES = 16 * 1024;

export function loginPath(uid: string): string {
  return `/u/login/${uid}`;
}

export function loginInteraction(provider: Provider, users: DemoUser[]): IdpMiddleware {
  return async (ctx, next) => {
    const uid = LOGIN_PATH.exec(ctx.path)?.[1];
    if (uid === undefined || (ctx.method !== 'GET' && ctx.method !== 'POST')) return next();

    const interaction = await provider.interactionDetails(ctx.req, ctx.res).catch(() => undefined);
    if (interaction?.uid !== uid) {
      respondWithPage(ctx, 400, messagePage('Log in', 'This login page has expired. Go back to the application and sign in again.'));
      return;
    }
    const clientId = String(interaction.params.client_id);

    if (interaction.prompt.name === 'consent' && interaction.session) {
      const grantId = await grantAll(provider, interaction, interaction.session.accountId);
      await finish(provider, ctx, { consent: { grantId } });
      return;
    }
    if (interaction.prompt.name !== 'login') {
      respondWithPage(ctx, 400, messagePage('Log in', `Unexpected step "${interaction.prompt.name}".`));
      return;
    }

    const client = await provider.Client.find(clientId);
    const render = (status: number, username?: string, error?: string) =>
      respondWithPage(
        ctx,
        status,
        loginPage({
          action: loginPath(uid),
          clientName: client?.clientName ?? clientId,
          connection: typeof interaction.params.connection === 'string' ? interaction.params.connection : undefined,
          username,
          error,
        }),
      );

    if (ctx.method === 'GET') {
      render(200);
      return;
    }
    const form = await readForm(ctx);
    const username = form.get('username') ?? '';
    const user = authenticate(users, username, form.get('password') ?? '');
    if (!user) {
      render(400, username, WRONG_CREDENTIALS);
      return;
    }
    const grantId = await grantAll(provider, interaction, user.sub);
    await finish(provider, ctx, { login: { accountId: user.sub }, consent: { grantId } });
  };
}

async function grantAll(provider: Provider, interaction: Interaction, accountId: string): Promise<string> {
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const grant =
    existing?.accountId === accountId
      ? existing
      : new provider.Grant({ accountId, clientId: String(interaction.params.client_id) });
  grant.addOIDCScope(GRANTED_SCOPE);
  return grant.save();
}

async function finish(provider: Provider, ctx: IdpContext, result: Parameters<Provider['interactionResult']>[2]) {
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
  ctx.status = 303;
  ctx.redirect(returnTo);
}

async function readForm(ctx: IdpContext): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) ctx.throw(413, 'The form is too large.');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
