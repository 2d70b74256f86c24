// The DynamoDB client the sync engine uses: the profile's region and endpoint, the signed-in user's
// Cognito credentials, and the SDK's standard retry strategy, which backs off and retries
// throttling and 5xx answers (never a conditional failure, which is an answer, not a fault).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamodbEndpointOf, type CloudProfile } from '../../shared/cloud-profile';
import type { AwsCredentialProvider } from './cognito-credentials';
import type { DynamoDbContext } from './dynamodb-errors';

/** Attempts per request, the first included: throttling is usually over within a few backoffs. */
export const DYNAMODB_MAX_ATTEMPTS = 6;

export interface DynamoDbClientOptions {
  profile: Pick<CloudProfile, 'region' | 'dynamodbEndpoint' | 'tableName'>;
  /** `CognitoCredentials.provider`: renewed before expiry, refused offline. */
  credentials: AwsCredentialProvider;
  maxAttempts?: number;
  requestTimeoutMs?: number;
}

export function createDynamoDbClient(options: DynamoDbClientOptions): DynamoDBClient {
  const { profile } = options;
  return new DynamoDBClient({
    region: profile.region,
    ...(profile.dynamodbEndpoint ? { endpoint: profile.dynamodbEndpoint } : {}),
    credentials: options.credentials,
    retryMode: 'standard',
    maxAttempts: options.maxAttempts ?? DYNAMODB_MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: options.requestTimeoutMs ?? 30_000 },
  });
}

/** What the error mapper names in its sentences. */
export function dynamoDbContextOf(profile: Pick<CloudProfile, 'region' | 'dynamodbEndpoint' | 'tableName'>): DynamoDbContext {
  return { tableName: profile.tableName, region: profile.region, endpoint: dynamodbEndpointOf(profile) };
}
