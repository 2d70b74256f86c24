// The only door to DynamoDB Local: verifies each request's SigV4 signature against the temporary
// credentials Cognito issued, applies the authenticated role's policy, injects faults for tests,
// and forwards what passes, body unchanged, with the secret DynamoDB Local requires.
import http, { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { closeServer, listen, HOST, readBody } from '../listen';
import {
  accessDenied,
  internalServerError,
  requestTooLarge,
  sendDynamoDbError,
  serialization,
  throughputExceeded,
  unknownOperation,
  type DynamoDbError,
} from './dynamodb-errors';
import { ENGINE_SECRET_HEADER } from './dynamodb-local';
import { authorize, type Denial } from './leading-keys-policy';
import { verifyRequestSignature, type CredentialLookup } from './sigv4-verification';

export type { CredentialLookup, IssuedCredentials } from './sigv4-verification';

export interface Faults {
  /** Share of authorised requests refused with ProvisionedThroughputExceededException, 0..1. */
  throttleRate?: number;
  /** Share of authorised requests answered with a 500 InternalServerError, 0..1. */
  serverErrorRate?: number;
  /** Added before every authorised request is answered. */
  latencyMs?: number;
}

export interface StartGatewayOptions {
  /** 0 or undefined: a free port. */
  port?: number;
  /** DynamoDB Local's endpoint. */
  upstream: string;
  /** DynamoDB Local's per-run secret, sent in ENGINE_SECRET_HEADER: without it DynamoDB Local refuses a request. */
  upstreamSecret: string;
  region: string;
  tableName: string;
  accountId: string;
  /** The authenticated role of the identity pool, named in AccessDenied messages. */
  roleName: string;
  credentials: CredentialLookup;
  /** The role's policy; a test may stand in a looser one (a role without dynamodb:LeadingKeys). */
  policy?: typeof authorize;
  faults?: Faults;
  /** Epoch milliseconds; injectable to test expiry and clock skew. */
  now?: () => number;
  /** In [0, 1); injectable to make fault injection deterministic. */
  random?: () => number;
}

/** Requests forwarded to DynamoDB (what AWS would bill), per identity ID, then per operation. */
export type RequestCounts = Record<string, Record<string, number>>;

export interface RunningGateway {
  endpoint: string;
  port: number;
  setFaults(faults: Faults): void;
  requestCounts(): RequestCounts;
  resetRequestCounts(): void;
  stop(): Promise<void>;
}

/** DynamoDB's own limit on a request's size. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
const TARGET_PREFIX = 'DynamoDB_20120810.';
const FORWARDED_HEADERS = ['content-type', 'x-amz-target', 'authorization'];
const HOP_BY_HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  let faults: Faults = { ...options.faults };
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const upstream = new URL(options.upstream);
  const agent = new http.Agent({ keepAlive: true });
  let counts: RequestCounts = {};
  const count = (identityId: string, operation: string) => {
    const perOperation = (counts[identityId] ??= {});
    perOperation[operation] = (perOperation[operation] ?? 0) + 1;
  };

  const denialMessage = ({ action, tableName, indexName }: Denial) => {
    const resource = `arn:aws:dynamodb:${options.region}:${options.accountId}:table/${tableName ?? '*'}${indexName === undefined ? '' : `/index/${indexName}`}`;
    return `User: arn:aws:sts::${options.accountId}:assumed-role/${options.roleName}/CognitoIdentityCredentials is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const fail = (error: DynamoDbError) => sendDynamoDbError(response, error, now());
    const body = await readBody(request, MAX_REQUEST_BYTES);
    if (body === undefined) {
      response.setHeader('connection', 'close');
      return fail(requestTooLarge());
    }
    const verification = await verifyRequestSignature(
      { method: request.method ?? 'POST', url: request.url ?? '/', headers: request.headers, body },
      { region: options.region, service: 'dynamodb', credentials: options.credentials, now: now() },
    );
    if ('error' in verification) return fail(verification.error);

    const target = request.headers['x-amz-target'];
    if (request.method !== 'POST' || typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) return fail(unknownOperation());
    const input = parseJsonObject(body);
    if (input === undefined) return fail(serialization('The request body must be a JSON object.'));
    const denial = (options.policy ?? authorize)(target.slice(TARGET_PREFIX.length), input, {
      tableName: options.tableName,
      identityId: verification.identityId,
    });
    if (denial !== undefined) return fail(accessDenied(denialMessage(denial)));

    const { latencyMs = 0, throttleRate = 0, serverErrorRate = 0 } = faults;
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (throttleRate > 0 && random() < throttleRate) return fail(throughputExceeded());
    if (serverErrorRate > 0 && random() < serverErrorRate) return fail(internalServerError());
    count(verification.identityId, target.slice(TARGET_PREFIX.length));
    forward(request, body, response);
  }

  function forward(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const headers: OutgoingHttpHeaders = {
      host: upstream.host,
      'content-length': body.length,
      [ENGINE_SECRET_HEADER]: options.upstreamSecret,
    };
    for (const name of FORWARDED_HEADERS) {
      const value = request.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    const outgoing = http.request(
      { protocol: upstream.protocol, hostname: upstream.hostname, port: upstream.port, method: 'POST', path: '/', headers, agent },
      (answer) => {
        const answerHeaders = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP_HEADERS.has(name)));
        response.writeHead(answer.statusCode ?? 502, answerHeaders);
        answer.pipe(response);
        answer.once('error', () => response.destroy());
      },
    );
    outgoing.once('error', () => {
      if (response.headersSent) response.destroy();
      else sendDynamoDbError(response, internalServerError(), now());
    });
    outgoing.end(body);
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch(() => {
      if (response.headersSent) response.destroy();
      else sendDynamoDbError(response, internalServerError(), now());
    });
  });
  const port = await listen(server, options.port ?? 0, 'The DynamoDB gateway');
  return {
    endpoint: `http://${HOST}:${port}`,
    port,
    setFaults: (next) => {
      faults = { ...next };
    },
    requestCounts: () => Object.fromEntries(Object.entries(counts).map(([identityId, perOperation]) => [identityId, { ...perOperation }])),
    resetRequestCounts: () => {
      counts = {};
    },
    stop: async () => {
      await closeServer(server);
      agent.destroy();
    },
  };
}

function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
