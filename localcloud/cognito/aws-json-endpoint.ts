// The AWS JSON 1.1 wire protocol: `POST /` with `X-Amz-Target: <service>.<Operation>` and a JSON
// body; errors as HTTP 4xx/5xx with `__type` in the body and `x-amzn-ErrorType` in the headers,
// which is what the AWS SDKs read to raise the modelled exception class.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CognitoError } from './cognito-error';
import type { Operation } from './operations';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** The operations take a pool ID and a few tokens; anything near this size is not a real request. */
const MAX_BODY_BYTES = 1024 * 1024;

export function createAwsJsonEndpoint(
  serviceTarget: string,
  operations: Record<string, Operation>,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const requestId = randomUUID();
    respond(request, requestId)
      .then((output) => send(response, requestId, 200, output))
      .catch((error: unknown) => {
        const failure = error instanceof CognitoError
          ? error
          : new CognitoError('InternalErrorException', error instanceof Error ? error.message : String(error), 500);
        send(response, requestId, failure.status, { __type: failure.type, message: failure.message }, failure.type);
      });
  };

  async function respond(request: IncomingMessage, requestId: string): Promise<object> {
    const target = request.headers['x-amz-target'];
    const prefix = `${serviceTarget}.`;
    const name = typeof target === 'string' && target.startsWith(prefix) ? target.slice(prefix.length) : undefined;
    const operation = name !== undefined && Object.hasOwn(operations, name) ? operations[name] : undefined;
    if (request.method !== 'POST' || request.url !== '/' || operation === undefined) {
      request.resume();
      throw new CognitoError('UnknownOperationException', `Unknown operation ${String(target ?? '(no X-Amz-Target)')} (request ${requestId}).`);
    }
    return operation(await readJsonBody(request));
  }
}

function readJsonBody(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = () =>
      new CognitoError('SerializationException', `The request body is larger than ${MAX_BODY_BYTES} bytes.`, 413);
    if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      request.resume();
      reject(tooLarge());
      return;
    }
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the cap the rest is read and dropped, so the 413 still reaches the client.
      if (size > MAX_BODY_BYTES) reject(tooLarge());
      else chunks.push(chunk);
    });
    request.on('error', reject);
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) return;
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text.trim() === '' ? {} : JSON.parse(text));
      } catch {
        reject(new CognitoError('SerializationException', 'The request body is not valid JSON.'));
      }
    });
  });
}

function send(response: ServerResponse, requestId: string, status: number, body: object, errorType?: string): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
    ...(status === 413 ? { connection: 'close' } : {}),
  });
  response.end(text);
}
