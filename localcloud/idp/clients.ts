// The applications registered with the Auth0 stand-in. Their IDs are made on the first start and
// kept, because the Cognito identity pool trusts the desktop app's client ID by value.
import { randomBytes, randomInt } from 'node:crypto';
import type { ClientMetadata } from 'oidc-provider';
import type { StateStore } from '../state-store';

export interface RegisteredClients {
  /** The desktop app: a public native client. */
  nativeClientId: string;
  hs256ClientId: string;
  hs256ClientSecret: string;
  otherClientId: string;
}

const STATE_NAME = 'idp-clients';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// Auth0 client IDs are 32 letters and digits.
function auth0ClientId(): string {
  return Array.from({ length: 32 }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('');
}

export function keptClients(store: StateStore): RegisteredClients {
  const kept = store.read<RegisteredClients>(STATE_NAME);
  if (kept) return kept;
  const clients = {
    nativeClientId: auth0ClientId(),
    hs256ClientId: auth0ClientId(),
    hs256ClientSecret: randomBytes(48).toString('base64url'),
    otherClientId: auth0ClientId(),
  };
  store.write(STATE_NAME, clients);
  return clients;
}

// RFC 8252 §7.3: the port of a loopback redirect is chosen per sign-in, so any port is accepted.
const LOOPBACK_REDIRECTS = {
  redirect_uris: ['http://127.0.0.1/callback', 'http://[::1]/callback'],
  // The app's signed-out page is the root of its loopback address (infra/README.md: Allowed Logout URLs).
  post_logout_redirect_uris: ['http://127.0.0.1/', 'http://127.0.0.1/logout', 'http://[::1]/logout'],
};

function nativeClient(clientId: string, clientName: string): ClientMetadata {
  return {
    client_id: clientId,
    client_name: clientName,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    ...LOOPBACK_REDIRECTS,
  };
}

export function clientMetadata(registered: RegisteredClients, testClients: boolean): ClientMetadata[] {
  const clients = [nativeClient(registered.nativeClientId, 'Auth0 Cognito Desktop')];
  if (!testClients) return clients;
  return [
    ...clients,
    {
      // As an Auth0 Native application whose "JSON Web Token Signature Algorithm" is set to HS256:
      // the app still authenticates as a public client; only the ID token is HMAC'd with the secret.
      ...nativeClient(registered.hs256ClientId, 'HS256 test application'),
      token_endpoint_auth_method: 'none',
      client_secret: registered.hs256ClientSecret,
      id_token_signed_response_alg: 'HS256',
    },
    nativeClient(registered.otherClientId, 'Application the identity pool does not trust'),
  ];
}
