// The doctor's isolation check against localcloud: it passes while the gateway applies the real
// role (dynamodb:LeadingKeys), and fails — naming the fix — once the role is widened the way a
// team's hand-written policy without LeadingKeys would be. The probe itself never writes.
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, afterEach, expect, test } from 'vitest';
import { authorize } from '../../../localcloud/dynamodb/leading-keys-policy';
import { startLocalCloud, type LocalCloud } from '../../../localcloud/start-local-cloud';
import type { AwsCredentials } from '../../../main/aws/cognito-credentials';
import { ALLOWED_OPERATIONS } from '../../../main/aws/table-schema';
import { checkIsolation } from '../../../main/doctor/isolation-check';
import { loginsKey } from '../../../shared/cloud-profile';
import { passwordSignIn } from '../../support/password-sign-in';
import { profileFor } from '../../support/test-app';

let cloud: LocalCloud;
let widened = false;
// What a role whose statement lacks the dynamodb:LeadingKeys condition allows: the app's actions on the table, any key.
const withoutLeadingKeys: typeof authorize = (operation, input, scope) =>
  widened && (ALLOWED_OPERATIONS as readonly string[]).includes(operation) && input.TableName === scope.tableName
    ? undefined
    : authorize(operation, input, scope);

beforeAll(async () => {
  cloud = await startLocalCloud({ inMemory: true, gatewayPolicy: withoutLeadingKeys });
});
afterEach(() => {
  widened = false;
});
afterAll(async () => {
  await cloud?.stop();
});

async function signedInCredentials(): Promise<AwsCredentials> {
  const { username, password } = cloud.users[0]!;
  const tokens = await passwordSignIn({ issuer: cloud.issuer, clientId: cloud.clientId, username, password });
  const cognito = new CognitoIdentityClient({ region: cloud.region, endpoint: cloud.cognitoEndpoint });
  const Logins = { [loginsKey(cloud.issuer)]: tokens.id_token! };
  const { IdentityId } = await cognito.send(new GetIdCommand({ IdentityPoolId: cloud.identityPoolId, Logins }));
  const { Credentials } = await cognito.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
  cognito.destroy();
  return {
    identityId: IdentityId!,
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretKey!,
    sessionToken: Credentials!.SessionToken!,
    expiration: Credentials!.Expiration!,
  };
}

test("passes when a write under another identity's partition key is refused with AccessDenied", async () => {
  const result = await checkIsolation(profileFor(cloud), await signedInCredentials());
  expect(result).toEqual({
    name: 'isolation',
    ok: true,
    detail: "a write under another identity's partition key is refused (AccessDenied): each user reaches only their own items",
  });
});

test('fails, naming the LeadingKeys condition to add, when the role lets a user write under any partition key', async () => {
  widened = true;
  const credentials = await signedInCredentials();
  const result = await checkIsolation(profileFor(cloud), credentials);
  expect(result.ok).toBe(false);
  expect(result.detail).toContain(`let identity ${credentials.identityId} write under another identity's partition key`);
  expect(result.detail).toContain('dynamodb:LeadingKeys');

  // The probe wrote nothing, even though the widened role let it through.
  const stranger = /partition key \(([^)]+)\)/.exec(result.detail)![1]!;
  const dynamodb = new DynamoDBClient({ region: cloud.region, endpoint: cloud.dynamodbEndpoint, credentials, maxAttempts: 1 });
  const { Count } = await dynamodb.send(
    new QueryCommand({
      TableName: cloud.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: stranger } },
    }),
  );
  dynamodb.destroy();
  expect(Count).toBe(0);
});
