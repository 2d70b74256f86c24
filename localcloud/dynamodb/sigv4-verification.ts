// Checks a request's AWS Signature Version 4 the way AWS does: find the caller's temporary
// credentials by access key, then sign the same request again with their secret
// (@smithy/signature-v4) and compare. Replies use AWS's error names and wording.
// Two services use it: DynamoDB (the gateway, an HTTP request as received) and AppSync Events,
// whose WebSocket messages carry the signed headers of a POST that is never sent (a header map).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  expiredToken,
  incompleteSignature,
  invalidSignature,
  missingAuthenticationToken,
  unrecognizedClient,
  type DynamoDbError,
} from './dynamodb-errors';

export interface IssuedCredentials {
  secretAccessKey: string;
  sessionToken: string;
  identityId: string;
  /** Epoch milliseconds. */
  expiration: number;
}

/** Finds the temporary credentials the Cognito emulator issued for an access key ID. */
export interface CredentialLookup {
  lookup(accessKeyId: string): IssuedCredentials | undefined;
}

export interface SignedRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Uint8Array;
}

export interface SigningExpectations {
  region: string;
  service: string;
  credentials: CredentialLookup;
  /** Epoch milliseconds. */
  now: number;
  /**
   * Headers the signature must cover besides host and every x-amz-* header sent. Default: the AWS
   * JSON protocol's content-type and x-amz-target (DynamoDB).
   */
  requiredSignedHeaders?: readonly string[];
  /** How far x-amz-date may be from now. Default 15 minutes (DynamoDB); API Gateway-fronted services allow 5. */
  allowedClockSkewMs?: number;
}

/** A signed header map that travels without its request (AppSync's `authorization` objects), and the request it signs. */
export interface SignedHeaderMap {
  /** Header names in any case, as the client wrote them; values that are not strings are ignored. */
  headers: Record<string, unknown>;
  method: string;
  /** Path and query of the request that was signed. */
  url: string;
  /** The body that was signed, exactly. */
  body: Uint8Array | string;
}

export type SignatureVerification = { identityId: string } | { error: DynamoDbError };

const ALGORITHM = 'AWS4-HMAC-SHA256';
const DEFAULT_CLOCK_SKEW_MS = 15 * 60 * 1000;
const JSON_PROTOCOL_SIGNED_HEADERS = ['content-type', 'x-amz-target'];
const REQUIRED_PARAMETERS = ['Credential', 'Signature', 'SignedHeaders'] as const;

export async function verifyRequestSignature(request: SignedRequest, expected: SigningExpectations): Promise<SignatureVerification> {
  const authorization = headerValue(request.headers, 'authorization');
  if (authorization === undefined) return { error: missingAuthenticationToken() };
  const parameters = authorizationParameters(authorization);
  const amzDate = headerValue(request.headers, 'x-amz-date');
  const missing = [
    ...REQUIRED_PARAMETERS.filter((name) => !parameters.has(name)).map((name) => `Authorization header requires '${name}' parameter.`),
    ...(amzDate === undefined ? ["Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."] : []),
  ];
  if (missing.length > 0 || amzDate === undefined) {
    return { error: incompleteSignature(`${missing.join(' ')} Authorization=${authorization}`) };
  }
  const [accessKeyId = '', scopeDate = '', scopeRegion = '', scopeService = '', terminator = '', ...extra] =
    (parameters.get('Credential') ?? '').split('/');
  if (terminator !== 'aws4_request' || extra.length > 0) {
    return { error: incompleteSignature(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`) };
  }

  const issued = expected.credentials.lookup(accessKeyId);
  if (issued === undefined) return { error: unrecognizedClient() };
  if (expected.now >= issued.expiration) return { error: expiredToken() };
  if (!sameText(headerValue(request.headers, 'x-amz-security-token') ?? '', issued.sessionToken)) {
    return { error: unrecognizedClient() };
  }

  const signingDate = parseAmzDate(amzDate);
  if (signingDate === undefined) {
    return { error: incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`) };
  }
  const skewError = clockSkewError(amzDate, signingDate, expected.now, expected.allowedClockSkewMs ?? DEFAULT_CLOCK_SKEW_MS);
  if (skewError !== undefined) return { error: skewError };
  if (scopeDate !== amzDate.slice(0, 8)) {
    return {
      error: invalidSignature(
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      ),
    };
  }
  if (scopeRegion !== expected.region) {
    return { error: invalidSignature(`Credential should be scoped to a valid region, not '${scopeRegion}'.`) };
  }
  if (scopeService !== expected.service) {
    return { error: invalidSignature(`Credential should be scoped to correct service: '${expected.service}'.`) };
  }
  const signedHeaders = (parameters.get('SignedHeaders') ?? '').split(';');
  if (!signedHeaders.includes('host')) {
    return { error: invalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.") };
  }
  // An unsigned operation or content type could be swapped on a captured request (GetItem replayed as DeleteItem).
  const unsigned = headersThatMustBeSigned(request.headers, expected.requiredSignedHeaders ?? JSON_PROTOCOL_SIGNED_HEADERS).find(
    (name) => !signedHeaders.includes(name),
  );
  if (unsigned !== undefined) {
    return { error: invalidSignature(`'${unsigned}' must be a 'SignedHeader' in the AWS Authorization.`) };
  }
  // The re-signer trusts this header as the body's hash, so it must be the body's hash.
  const declaredPayloadHash = headerValue(request.headers, 'x-amz-content-sha256');
  if (declaredPayloadHash !== undefined && declaredPayloadHash !== createHash('sha256').update(request.body).digest('hex')) {
    return { error: invalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.") };
  }

  const expectedSignature = await signatureFor(request, signedHeaders, signingDate, {
    accessKeyId,
    secretAccessKey: issued.secretAccessKey,
    sessionToken: issued.sessionToken,
    region: scopeRegion,
    service: scopeService,
  });
  if (!sameText(parameters.get('Signature') ?? '', expectedSignature)) {
    return {
      error: invalidSignature(
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      ),
    };
  }
  return { identityId: issued.identityId };
}

/**
 * Verifies a header map signed for a request that is described rather than received: its names are
 * made lower case (as HTTP would) and the body is the one the message implies.
 */
export function verifyHeaderMapSignature(signed: SignedHeaderMap, expected: SigningExpectations): Promise<SignatureVerification> {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(signed.headers)) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  const body = typeof signed.body === 'string' ? Buffer.from(signed.body, 'utf8') : signed.body;
  return verifyRequestSignature({ method: signed.method, url: signed.url, headers, body }, expected);
}

/** What a request must sign: the service's own headers (content type, operation) and every x-amz-* header sent. */
function headersThatMustBeSigned(headers: IncomingHttpHeaders, required: readonly string[]): string[] {
  const amzHeaders = Object.keys(headers).filter((name) => name.startsWith('x-amz-'));
  return [...new Set([...required, ...amzHeaders])];
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` as a map; empty for other schemes. */
function authorizationParameters(authorization: string): Map<string, string> {
  const parameters = new Map<string, string>();
  if (!authorization.startsWith(`${ALGORITHM} `)) return parameters;
  for (const part of authorization.slice(ALGORITHM.length + 1).split(',')) {
    const separator = part.indexOf('=');
    if (separator > 0) parameters.set(part.slice(0, separator).trim(), part.slice(separator + 1).trim());
  }
  return parameters;
}

/** `20240102T030405Z` as epoch milliseconds. */
function parseAmzDate(amzDate: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  return Number.isNaN(time) ? undefined : time;
}

function amzDateOf(time: number): string {
  return new Date(time).toISOString().replace(/[-:]|\.\d{3}/g, '');
}

function clockSkewError(amzDate: string, signingDate: number, now: number, allowedMs: number): DynamoDbError | undefined {
  const minutes = `${Math.round(allowedMs / 60_000)} min.`;
  if (signingDate < now - allowedMs) {
    return invalidSignature(`Signature expired: ${amzDate} is now earlier than ${amzDateOf(now - allowedMs)} (${amzDateOf(now)} - ${minutes})`);
  }
  if (signingDate > now + allowedMs) {
    return invalidSignature(`Signature not yet current: ${amzDate} is still later than ${amzDateOf(now + allowedMs)} (${amzDateOf(now)} + ${minutes})`);
  }
  return undefined;
}

interface SigningKeyInput {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  region: string;
  service: string;
}

/** The signature AWS would expect: the request re-signed over exactly the headers the caller signed. */
async function signatureFor(request: SignedRequest, signedHeaders: string[], signingDate: number, key: SigningKeyInput): Promise<string> {
  const url = new URL(request.url, 'http://gateway.invalid');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = headerValue(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    query[name] = values.length === 1 ? (values[0] as string) : values;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, sessionToken: key.sessionToken },
    region: key.region,
    service: key.service,
    sha256: Sha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname: url.hostname,
      path: safeDecodePath(url.pathname),
      query,
      headers,
      body: request.body,
    }),
    { signingDate: new Date(signingDate), signableHeaders: new Set(signedHeaders) },
  );
  return /Signature=([0-9a-f]+)/.exec(signed.headers.authorization ?? '')?.[1] ?? '';
}

// The SDK signs the unencoded path and the signer encodes it; the wire carries it encoded.
function safeDecodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
