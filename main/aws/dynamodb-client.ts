// The DynamoDB client the sync engine uses: the profile's region and endpoint, the signed-in user's
// Cognito credentials, and the SDK's standard retry strategy, which backs off and retries
// throttling and 5xx answers (never a conditional failure, which is an answer, not a fault).
// The SDK keeps the credentials a client got until shortly before they expire, so a client signs
// for one identity for as long as it lives: the sync builds one per signed-in identity.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamodbEndpointOf, type CloudProfile } from '../../shared/cloud-profile';
import type { AwsCredentialProvider } from './cognito-credentials';
import type { DynamoDbContext } from './dynamodb-errors';

/** Attempts per request, the first included: throttling is usually over within a few backoffs. */
export const DYNAMODB_MAX_ATTEMPTS = 6;

export interface DynamoDbClientOptions {
  profile: Pick<CloudProfile, 'region' | 'dynamodbEndpoint' | 'tableName'>;
  /** `CognitoCredentials.providerFor(identityId)` (or `.provider`): renewed before expiry, refused offline. */
  credentials: AwsCredentialProvider;
  /**
   * Runs before every attempt is signed, retries included; throwing refuses the request. The sync
   * uses it so that once an identity's sync has stopped (sign-out), nothing more is sent for it,
   * even though the client still holds that identity's credentials.
   */
  guard?: () => void;
  maxAttempts?: number;
  requestTimeoutMs?: number;
}

export function createDynamoDbClient(options: DynamoDbClientOptions): DynamoDBClient {
  const { profile, guard } = options;
  const client = new DynamoDBClient({
    region: profile.region,
    ...(profile.dynamodbEndpoint ? { endpoint: profile.dynamodbEndpoint } : {}),
    credentials: options.credentials,
    retryMode: 'standard',
    maxAttempts: options.maxAttempts ?? DYNAMODB_MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: options.requestTimeoutMs ?? 30_000 },
  });
  if (guard !== undefined) {
    // Between the retry loop and the signer, so each attempt is checked, not only the first.
    client.middlewareStack.addRelativeTo(
      <A, R>(next: (args: A) => Promise<R>) =>
        async (args: A): Promise<R> => {
          guard();
          return next(args);
        },
      { name: 'identityGuardMiddleware', relation: 'before', toMiddleware: 'httpSigningMiddleware' },
    );
  }
  return client;
}

/** What the error mapper names in its sentences. */
export function dynamoDbContextOf(profile: Pick<CloudProfile, 'region' | 'dynamodbEndpoint' | 'tableName'>): DynamoDbContext {
  return { tableName: profile.tableName, region: profile.region, endpoint: dynamodbEndpointOf(profile) };
}
