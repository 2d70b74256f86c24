// The DynamoDB client the doctor's signed-in checks use: the Cognito credentials it was handed, one
// attempt (a check reports what happened, it does not retry it away) and a timeout.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CloudProfile } from '../../shared/cloud-profile';
import type { AwsCredentials } from '../aws/cognito-credentials';

export function doctorDynamoDbClient(profile: CloudProfile, credentials: AwsCredentials, timeoutMs: number): DynamoDBClient {
  return new DynamoDBClient({
    region: profile.region,
    ...(profile.dynamodbEndpoint ? { endpoint: profile.dynamodbEndpoint } : {}),
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      expiration: credentials.expiration,
    },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs },
  });
}
