// What an admin reads for each way Cognito Identity refuses a sign-in, from the SDK's own exceptions.
import {
  InternalErrorException,
  InvalidIdentityPoolConfigurationException,
  InvalidParameterException,
  LimitExceededException,
  NotAuthorizedException,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-cognito-identity';
import { describe, expect, test } from 'vitest';
import { cognitoFailure, isExpiredLogin, isStaleIdentity, type CognitoContext } from '../../../main/aws/cognito-errors';
import { HS256_MESSAGE } from '../../../main/auth/id-token';

const context: CognitoContext = {
  identityPoolId: 'us-east-1:11111111-2222-3333-4444-555555555555',
  region: 'us-east-1',
  providerName: 'tenant.eu.auth0.com',
  clientId: 'AbCdEf0123456789',
  endpoint: 'https://cognito-identity.us-east-1.amazonaws.com',
  idTokenAlg: 'RS256',
};
const meta = { $metadata: {} };
const notAuthorized = (message: string) => new NotAuthorizedException({ message, ...meta });

describe('NotAuthorizedException', () => {
  test('a token from a provider the pool does not list names the provider and the client ID to register', () => {
    const error = cognitoFailure(notAuthorized('Invalid login token. Token is not from a supported provider of this identity pool.'), context);
    expect(error.code).toBe('COGNITO_PROVIDER_NOT_REGISTERED');
    expect(error.message).toContain('tenant.eu.auth0.com');
    expect(error.message).toContain('AbCdEf0123456789');
    expect(error.message).toContain(context.identityPoolId);
  });

  test('an audience the provider does not list says where to add the client ID', () => {
    const error = cognitoFailure(notAuthorized('Invalid login token. Incorrect token audience.'), context);
    expect(error.code).toBe('COGNITO_AUDIENCE_NOT_REGISTERED');
    expect(error.message).toContain('Audiences');
  });

  test("an issuer that doesn't match the provider name is COGNITO_ISSUER_MISMATCH", () => {
    const error = cognitoFailure(notAuthorized("Invalid login token. Issuer doesn't match providerName"), context);
    expect(error.code).toBe('COGNITO_ISSUER_MISMATCH');
    expect(error.message).toContain('https://tenant.eu.auth0.com/');
  });

  test("an unverifiable HS256 token is ID_TOKEN_HS256 with the Auth0 setting; an RS256 one points at the keys", () => {
    const unverified = notAuthorized("Invalid login token. Couldn't verify signed token.");
    const hs = cognitoFailure(unverified, { ...context, idTokenAlg: 'HS256' });
    expect(hs.code).toBe('ID_TOKEN_HS256');
    expect(hs.message).toBe(HS256_MESSAGE);
    expect(cognitoFailure(unverified, context).code).toBe('COGNITO_TOKEN_NOT_VERIFIED');
  });

  test('an expired token is recognised for one refresh, and blamed on the clock if it persists', () => {
    const expired = notAuthorized('Invalid login token. Token expired: 1700000000 >= 1700000400');
    expect(isExpiredLogin(expired)).toBe(true);
    expect(cognitoFailure(expired, context).code).toBe('CLOCK_SKEW');
  });

  test('an identity that belongs to another login is recognised as a stale cached identity ID', () => {
    const mismatch = notAuthorized("Logins don't match. Please include at least one valid login for this identity or identity pool.");
    expect(isStaleIdentity(mismatch)).toBe(true);
    expect(cognitoFailure(mismatch, context).code).toBe('COGNITO_LOGINS_MISMATCH');
    expect(isStaleIdentity(notAuthorized('Invalid login token. Token is not from a supported provider of this identity pool.'))).toBe(false);
  });
});

test('an unknown pool names the pool, the region and where to find the right ID', () => {
  const error = cognitoFailure(new ResourceNotFoundException({ message: 'IdentityPool \'us-east-1:1111\' not found.', ...meta }), context);
  expect(error.code).toBe('COGNITO_POOL_NOT_FOUND');
  expect(error.message).toContain(context.identityPoolId);
  expect(error.message).toContain('us-east-1');
});

test('a malformed pool ID is COGNITO_POOL_NOT_FOUND too', () => {
  const error = cognitoFailure(
    new InvalidParameterException({ message: "1 validation error detected: Value 'nope' at 'identityPoolId' failed to satisfy constraint", ...meta }),
    context,
  );
  expect(error.code).toBe('COGNITO_POOL_NOT_FOUND');
});

test('a role that does not trust the pool names the trust-policy conditions', () => {
  const error = cognitoFailure(
    new InvalidIdentityPoolConfigurationException({ message: 'Invalid identity pool configuration. Check assigned IAM roles for this pool.', ...meta }),
    context,
  );
  expect(error.code).toBe('COGNITO_ROLE_MISCONFIGURED');
  expect(error.message).toContain('sts:AssumeRoleWithWebIdentity');
  expect(error.message).toContain('cognito-identity.amazonaws.com:aud');
});

test('throttling is THROTTLED, whichever exception says it', () => {
  expect(cognitoFailure(new TooManyRequestsException({ message: 'Rate exceeded', ...meta }), context).code).toBe('THROTTLED');
  expect(cognitoFailure(new LimitExceededException({ message: 'Limit exceeded', ...meta }), context).code).toBe('THROTTLED');
});

test('a network failure is NETWORK_DOWN naming the endpoint', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  const error = cognitoFailure(refused, { ...context, endpoint: 'http://127.0.0.1:9' });
  expect(error.code).toBe('NETWORK_DOWN');
  expect(error.message).toContain('http://127.0.0.1:9');
});

test('an internal Cognito error is COGNITO_ERROR and says to try again', () => {
  const error = cognitoFailure(new InternalErrorException({ message: 'Internal', ...meta }), context);
  expect(error.code).toBe('COGNITO_ERROR');
  expect(error.message).toMatch(/Try again/);
});
