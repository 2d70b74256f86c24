// The Auth0 stand-in: oidc-provider behind Auth0's paths on 127.0.0.1, with its own login page,
// Auth0's /v2/logout, demo users, and its keys and tokens kept in the data dir.
import { randomBytes } from 'node:crypto';
import { createServer, type RequestListener } from 'node:http';
import { closeServer, HOST, listen } from '../listen';
import type { StateStore } from '../state-store';
import { auth0Logout } from './auth0-logout';
import { avatars } from './avatars';
import { clientMetadata, keptClients } from './clients';
import { keptDemoUsers } from './demo-users';
import { loadOidcProvider } from './load-oidc-provider';
import { loginInteraction } from './login-interaction';
import { offlineAccessConsent } from './offline-access-consent';
import { AUTH0_ROUTES, providerConfiguration, SESSION_COOKIE } from './provider-configuration';
import { keptSigningKey } from './signing-key';
import { stateStoreAdapter } from './state-store-adapter';

export interface StartIdpOptions {
  /** Keeps the signing key, users, client IDs, cookie keys, sessions and refresh tokens. */
  store: StateStore;
  /** 0 or undefined: any free port. */
  port?: number;
  /** Default 36000, Auth0's. */
  idTokenTtlSeconds?: number;
  /** Default 86400, Auth0's. */
  accessTokenTtlSeconds?: number;
  /** Default 30 days (Auth0's inactivity lifetime; each rotation starts it again). */
  refreshTokenTtlSeconds?: number;
  /** Also register the two test clients (see RunningIdp.testClients). */
  testClients?: boolean;
}

export interface RunningIdp {
  /** `http://127.0.0.1:PORT/`, with the trailing slash, as Auth0's. */
  issuer: string;
  port: number;
  /** The desktop app: a public native client, the same after a restart. */
  clientId: string;
  /** `${issuer}.well-known/jwks.json` */
  jwksUri: string;
  users: { username: string; password: string }[];
  /** Present with testClients: a client whose ID tokens are HS256 (as an Auth0 app set to HS256), and one that Cognito will not trust. */
  testClients?: { hs256: { clientId: string; clientSecret: string }; other: { clientId: string } };
  stop(): Promise<void>;
}

const DAY = 24 * 60 * 60;

function keptCookieKeys(store: StateStore): string[] {
  const kept = store.read<string[]>('idp-cookie-keys');
  if (kept) return kept;
  const keys = [randomBytes(32).toString('base64url')];
  store.write('idp-cookie-keys', keys);
  return keys;
}

export async function startIdp(options: StartIdpOptions): Promise<RunningIdp> {
  const { store } = options;
  const Provider = await loadOidcProvider();
  const signingKey = await keptSigningKey(store);
  const users = keptDemoUsers(store);
  const registered = keptClients(store);
  const clients = clientMetadata(registered, options.testClients ?? false);

  // The issuer names the port, so the server listens before the provider exists.
  let handle: RequestListener | undefined;
  const server = createServer((req, res) => {
    if (handle) return handle(req, res);
    res.writeHead(503).end();
  });
  const port = await listen(server, options.port ?? 0, 'The Auth0 stand-in');
  try {
    const issuer = `http://${HOST}:${port}/`;
    const provider = new Provider(
      issuer,
      providerConfiguration({
        issuer,
        signingKey,
        cookieKeys: keptCookieKeys(store),
        clients,
        users,
        adapter: stateStoreAdapter(store),
        ttl: {
          idTokenSeconds: options.idTokenTtlSeconds ?? 36_000,
          accessTokenSeconds: options.accessTokenTtlSeconds ?? DAY,
          refreshTokenSeconds: options.refreshTokenTtlSeconds ?? 30 * DAY,
        },
      }),
    );
    provider.use(offlineAccessConsent(AUTH0_ROUTES.authorization));
    provider.use(loginInteraction(provider, users));
    provider.use(auth0Logout(provider, new Set(clients.map((client) => client.client_id)), SESSION_COOKIE));
    provider.use(avatars(users));
    handle = provider.callback();

    return {
      issuer,
      port,
      clientId: registered.nativeClientId,
      jwksUri: `${issuer}${AUTH0_ROUTES.jwks.slice(1)}`,
      users: users.map((user) => ({ username: user.email, password: user.password })),
      testClients: options.testClients
        ? {
            hs256: { clientId: registered.hs256ClientId, clientSecret: registered.hs256ClientSecret },
            other: { clientId: registered.otherClientId },
          }
        : undefined,
      stop: () => closeServer(server),
    };
  } catch (error) {
    await closeServer(server);
    throw error;
  }
}
