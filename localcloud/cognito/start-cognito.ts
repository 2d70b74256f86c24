// The Cognito Identity emulator: one identity pool that trusts one OIDC provider, served over the
// AWS JSON 1.1 protocol on 127.0.0.1, plus Cognito's own jwks_uri for the tokens of GetOpenIdToken.
import { createServer } from 'node:http';
import { closeServer, HOST, keepPort, keptPort, listen } from '../listen';
import type { StateStore } from '../state-store';
import { createAwsJsonEndpoint } from './aws-json-endpoint';
import type { CredentialRegistry } from './credential-registry';
import { openIdentityMap } from './identity-map';
import { openIdentityPoolId, providerNameOf } from './identity-pool';
import { createLoginVerifier, type TrustedProvider } from './login-token-verifier';
import { openOpenIdTokenSigner } from './open-id-token-signer';
import { createOperations } from './operations';

export type { TrustedProvider } from './login-token-verifier';

export interface StartCognitoOptions {
  store: StateStore;
  /** Default: the port kept in the store, else any free one. */
  port?: number;
  region: string;
  provider: TrustedProvider;
  credentials: CredentialRegistry;
  now?: () => number;
  accountId?: string;
}

export interface RunningCognito {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  port: number;
  identityPoolId: string;
  providerName: string;
  stop(): Promise<void>;
}

/** Where Cognito publishes the keys of its OpenID tokens (https://cognito-identity.amazonaws.com/.well-known/jwks_uri). */
export const OPEN_ID_JWKS_PATH = '/.well-known/jwks_uri';
const SERVICE_TARGET = 'AWSCognitoIdentityService';
const PORT_NAME = 'cognito';

export async function startCognito(options: StartCognitoOptions): Promise<RunningCognito> {
  const { store, region, provider, credentials } = options;
  const now = options.now ?? Date.now;
  const identityPoolId = openIdentityPoolId(store, region);
  const providerName = providerNameOf(provider.issuer);
  const signer = await openOpenIdTokenSigner(store, now);
  const rpc = createAwsJsonEndpoint(
    SERVICE_TARGET,
    createOperations({
      identityPoolId,
      identityPoolArn: `arn:aws:cognito-identity:${region}:${options.accountId ?? '000000000000'}:identitypool/${identityPoolId}`,
      verifyLogins: createLoginVerifier(provider, now),
      identities: openIdentityMap(store, region, now),
      credentials,
      signer,
    }),
  );

  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === OPEN_ID_JWKS_PATH) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(signer.jwks()));
      return;
    }
    rpc(request, response);
  });
  const port = await listen(server, options.port ?? keptPort(store, PORT_NAME), 'The Cognito Identity emulator');
  keepPort(store, PORT_NAME, port);

  return {
    endpoint: `http://${HOST}:${port}`,
    port,
    identityPoolId,
    providerName,
    stop: () => closeServer(server),
  };
}
