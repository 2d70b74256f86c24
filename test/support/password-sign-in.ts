// A complete app sign-in against the local Auth0 stand-in, without a browser: authorization
// request with PKCE, the login page over HTTP, the code exchange. For tests that need real tokens.
import * as oidc from 'openid-client';
import { httpBrowser } from './http-login';

export interface PasswordSignIn {
  issuer: string;
  clientId: string;
  username: string;
  password: string;
}

export async function passwordSignIn(options: PasswordSignIn) {
  const config = await oidc.discovery(new URL(options.issuer), options.clientId, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: 'http://127.0.0.1:49152/callback',
    scope: 'openid profile email offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
  });
  const landing = await httpBrowser(options.issuer).logIn(url, options.username, options.password);
  if (landing.kind !== 'left') throw new Error(`the login page did not send the browser back: ${landing.html.slice(0, 300)}`);
  return oidc.authorizationCodeGrant(config, landing.url, {
    pkceCodeVerifier: verifier,
    expectedNonce: nonce,
    expectedState: state,
    idTokenExpected: true,
  });
}
