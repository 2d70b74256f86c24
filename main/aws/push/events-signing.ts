// AWS_IAM authorization for the AppSync Events API: every connect, subscribe and publish is the
// SigV4 signature (service `appsync`) of a POST to the HTTP endpoint's `/event`, whose body is what
// the operation names ({} to connect, {"channel"} to subscribe, {"channel","events"} to publish).
// Over the WebSocket the signed headers travel as a JSON object (base64url in the `header-…`
// subprotocol to connect, the message's `authorization` otherwise); over HTTP they are the request's.
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialProvider } from '../cognito-credentials';
import type { Authorization } from './events-messages';

/** The constant headers the guide's IAM authorization object carries (as AWS's own clients send them). */
const SIGNED_CONSTANT_HEADERS = {
  accept: 'application/json, text/javascript',
  'content-encoding': 'amz-1.0',
  'content-type': 'application/json; charset=UTF-8',
};

export interface EventsSigningInput {
  /** The HTTP endpoint, e.g. https://abc.appsync-api.us-east-1.amazonaws.com/event: its host is signed. */
  httpEndpoint: string;
  region: string;
  credentials: Awaited<ReturnType<AwsCredentialProvider>>;
  body: string;
  /** Epoch milliseconds of the signature (x-amz-date). */
  signingTime: number;
}

/**
 * The signed headers of a POST of `body` to the HTTP endpoint: accept, content-encoding,
 * content-type, host, x-amz-date, x-amz-security-token and authorization. No payload-hash header:
 * the guide's set has none, and the service hashes the body it is told about.
 */
export async function signEventsRequest(input: EventsSigningInput): Promise<Authorization> {
  const url = new URL(input.httpEndpoint);
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: input.credentials.accessKeyId,
      secretAccessKey: input.credentials.secretAccessKey,
      sessionToken: input.credentials.sessionToken,
    },
    region: input.region,
    service: 'appsync',
    sha256: Sha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname,
      headers: { ...SIGNED_CONSTANT_HEADERS, host: url.host },
      body: input.body,
    }),
    { signingDate: new Date(input.signingTime) },
  );
  return { ...signed.headers };
}

/** The `header-…` subprotocol that carries the connect authorization: base64url of its JSON, unpadded. */
export function authorizationSubprotocol(authorization: Authorization): string {
  return `header-${Buffer.from(JSON.stringify(authorization), 'utf8').toString('base64url')}`;
}

/** The headers of the HTTP publish itself: the signed ones but host, which fetch sets from the URL (the same). */
export function httpPublishHeaders(authorization: Authorization): Record<string, string> {
  const { host: _host, ...headers } = authorization;
  return headers;
}
