// How oidc-provider is set up to behave like an Auth0 tenant: Auth0's endpoint paths, ID tokens
// that carry the profile claims, PKCE for every client, refresh tokens with rotation, no consent.
import type { AdapterFactory, ClientMetadata, Configuration, JWK } from 'oidc-provider';
import { avatarUrl } from './avatars';
import type { DemoUser } from './demo-users';
import { logoutConfirmationPage, messagePage } from './idp-pages';
import { loginPath } from './login-interaction';

export const AUTH0_ROUTES = {
  authorization: '/authorize',
  token: '/oauth/token',
  userinfo: '/userinfo',
  jwks: '/.well-known/jwks.json',
  revocation: '/oauth/revoke',
  end_session: '/oidc/logout',
};

export const SESSION_COOKIE = { httpOnly: true, sameSite: 'lax' as const };

const DAY = 24 * 60 * 60;

export interface IdpTtls {
  idTokenSeconds: number;
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
}

export interface ProviderConfigurationInputs {
  issuer: string;
  signingKey: JWK;
  cookieKeys: string[];
  clients: ClientMetadata[];
  users: DemoUser[];
  adapter: AdapterFactory;
  ttl: IdpTtls;
}

export function providerConfiguration(inputs: ProviderConfigurationInputs): Configuration {
  const { issuer, users, ttl } = inputs;
  return {
    adapter: inputs.adapter,
    clients: inputs.clients,
    jwks: { keys: [inputs.signingKey] },
    cookies: { keys: inputs.cookieKeys, long: SESSION_COOKIE, short: SESSION_COOKIE },
    routes: AUTH0_ROUTES,
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'nickname', 'picture'],
      email: ['email', 'email_verified'],
    },
    // Auth0 puts the profile claims in the ID token even when an access token is issued too.
    conformIdTokenClaims: false,
    extraParams: ['connection', 'audience'],
    responseTypes: ['code'],
    pkce: { required: () => true },
    rotateRefreshToken: true,
    enabledJWA: { idTokenSigningAlgValues: ['RS256', 'HS256'] },
    clientBasedCORS: () => false,
    features: {
      devInteractions: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: { enabled: false },
      userinfo: { enabled: true },
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = logoutConfirmationPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = messagePage('Logged out', 'You are logged out.');
        },
      },
    },
    interactions: { url: (_ctx, interaction) => loginPath(interaction.uid) },
    findAccount: (_ctx, sub) => {
      const user = users.find((candidate) => candidate.sub === sub);
      if (!user) return undefined;
      return {
        accountId: user.sub,
        claims: () => ({
          sub: user.sub,
          name: user.name,
          nickname: user.nickname,
          picture: avatarUrl(issuer, user),
          email: user.email,
          email_verified: true,
        }),
      };
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = messagePage('Something went wrong', out.error_description ?? out.error);
    },
    ttl: {
      AccessToken: ttl.accessTokenSeconds,
      AuthorizationCode: 60,
      IdToken: ttl.idTokenSeconds,
      RefreshToken: ttl.refreshTokenSeconds,
      Interaction: 60 * 60,
      // Auth0's default session and refresh-token absolute lifetimes.
      Session: 7 * DAY,
      Grant: Math.max(365 * DAY, ttl.refreshTokenSeconds),
    },
  };
}
