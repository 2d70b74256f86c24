// What a user or an admin reads for each way DynamoDB refuses a sync request.
import { InternalServerError, ProvisionedThroughputExceededException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { expect, test } from 'vitest';
import { conflictRetriesExhausted, dynamoDbFailure, type DynamoDbContext } from '../../../main/aws/dynamodb-errors';

const context: DynamoDbContext = { tableName: 'datasets-table', region: 'eu-west-1', endpoint: 'https://dynamodb.eu-west-1.amazonaws.com' };
const meta = { $metadata: {} };
/** AWS's front end answers these itself; the SDK raises them as errors named after the type. */
const coral = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

test("a refusal by the role's policy is ACCESS_DENIED, naming the dynamodb:LeadingKeys condition to set", () => {
  const error = dynamoDbFailure(coral('AccessDeniedException', 'User: arn:aws:sts::1:assumed-role/r/CognitoIdentityCredentials is not authorized to perform: dynamodb:Query'), context);
  expect(error.code).toBe('ACCESS_DENIED');
  expect(error.message).toContain('datasets-table');
  expect(error.message).toContain('"dynamodb:LeadingKeys": ["${cognito-identity.amazonaws.com:sub}"]');
});

test('an AccessDenied first names stale credentials and signing in again, and only then the policy', () => {
  const { message } = dynamoDbFailure(coral('AccessDeniedException', 'User: arn:aws:sts::1:assumed-role/r/CognitoIdentityCredentials is not authorized to perform: dynamodb:Query'), context);
  expect(message).toMatch(/kept on this device/);
  expect(message).toMatch(/another identity/);
  expect(message).toMatch(/expired or been revoked/);
  const signInAgain = message.indexOf('sign out and sign in again');
  expect(signInAgain).toBeGreaterThan(-1);
  expect(signInAgain).toBeLessThan(message.indexOf('administrator'));
  expect(signInAgain).toBeLessThan(message.indexOf('IAM'));
});

test('credentials DynamoDB does not know are ACCESS_DENIED: sign in again first, then region and endpoint', () => {
  const error = dynamoDbFailure(coral('UnrecognizedClientException', 'The security token included in the request is invalid.'), context);
  expect(error.code).toBe('ACCESS_DENIED');
  expect(error.message).toContain('https://dynamodb.eu-west-1.amazonaws.com');
  expect(error.message).toMatch(/kept on this device/);
  expect(error.message.indexOf('sign out and sign in again')).toBeGreaterThan(-1);
  expect(error.message.indexOf('sign out and sign in again')).toBeLessThan(error.message.indexOf('dynamodbEndpoint'));
});

test('throttling is THROTTLED and says the changes are kept', () => {
  const error = dynamoDbFailure(new ProvisionedThroughputExceededException({ message: 'slow down', ...meta }), context);
  expect(error.code).toBe('THROTTLED');
  expect(error.message).toMatch(/kept on this device/);
});

test('a missing table is TABLE_NOT_FOUND, naming it and the template that creates it', () => {
  const error = dynamoDbFailure(new ResourceNotFoundException({ message: 'Requested resource not found', ...meta }), context);
  expect(error.code).toBe('TABLE_NOT_FOUND');
  expect(error.message).toContain('datasets-table');
  expect(error.message).toContain('infra/template.yaml');
});

test('an internal error and an item too large for the index are DYNAMODB_ERROR, the latter naming the size limit', () => {
  expect(dynamoDbFailure(new InternalServerError({ message: 'oops', ...meta }), context).code).toBe('DYNAMODB_ERROR');
  const tooBig = dynamoDbFailure(coral('ValidationException', 'Item size has exceeded the maximum allowed size'), context);
  expect(tooBig.code).toBe('DYNAMODB_ERROR');
  expect(tooBig.message).toContain('200,000 bytes');
});

test('an expired token is the clock, and an unreachable endpoint is NETWORK_DOWN', () => {
  expect(dynamoDbFailure(coral('ExpiredTokenException', 'The security token included in the request is expired'), context).code).toBe('CLOCK_SKEW');
  const down = dynamoDbFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), context);
  expect(down.code).toBe('NETWORK_DOWN');
  expect(down.message).toContain('https://dynamodb.eu-west-1.amazonaws.com');
});

test('running out of commit attempts says nothing is lost', () => {
  const error = conflictRetriesExhausted(8);
  expect(error.code).toBe('SYNC_CONFLICT_RETRIES_EXHAUSTED');
  expect(error.message).toMatch(/Nothing is lost/);
});
