// DynamoDB's AWS JSON 1.0 error replies, shaped as the service sends them, so that
// @aws-sdk/client-dynamodb raises the real exception classes (it reads the name after '#').
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export interface DynamoDbError {
  status: number;
  /** The full `__type`, e.g. `com.amazon.coral.service#AccessDeniedException`. */
  type: string;
  message: string;
}

// Authentication and authorisation errors come from AWS's front end (coral), the rest from DynamoDB.
const coral = (name: string, message: string, status = 400): DynamoDbError => ({
  status,
  type: `com.amazon.coral.service#${name}`,
  message,
});
const dynamoDb = (name: string, message: string, status = 400): DynamoDbError => ({
  status,
  type: `com.amazonaws.dynamodb.v20120810#${name}`,
  message,
});

export const missingAuthenticationToken = () => coral('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
export const incompleteSignature = (message: string) => coral('IncompleteSignatureException', message);
export const unrecognizedClient = () =>
  coral('UnrecognizedClientException', 'The security token included in the request is invalid.');
export const expiredToken = () => coral('ExpiredTokenException', 'The security token included in the request is expired');
export const invalidSignature = (message: string) => coral('InvalidSignatureException', message);
export const unknownOperation = () => coral('UnknownOperationException', 'Unknown operation');
export const serialization = (message: string) => coral('SerializationException', message);
export const accessDenied = (message: string) => coral('AccessDeniedException', message);
export const requestTooLarge = () => coral('RequestEntityTooLargeException', 'Request Entity Too Large', 413);
export const throughputExceeded = () =>
  dynamoDb(
    'ProvisionedThroughputExceededException',
    'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  );
export const internalServerError = () => dynamoDb('InternalServerError', 'Internal server error', 500);

/** Sends the error. `Date` comes from the gateway's clock: the SDK corrects its clock skew from it. */
export function sendDynamoDbError(response: ServerResponse, error: DynamoDbError, now: number): void {
  const body = JSON.stringify({ __type: error.type, message: error.message });
  response.writeHead(error.status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
    date: new Date(now).toUTCString(),
  });
  response.end(body);
}
