// Check 11: the authenticated role keeps each user to their own items. With the signed-in user's
// credentials, a write under a partition key that is not their identity ID must be refused with
// AccessDenied — else a role without dynamodb:LeadingKeys would let every user read and overwrite
// everyone's data, and the team would learn it from its users. The probe's condition can never
// hold, so even a role that wrongly allows the write changes nothing.
import { randomUUID } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamodbEndpointOf, type CloudProfile } from '../../shared/cloud-profile';
import type { AwsCredentials } from '../aws/cognito-credentials';
import { PARTITION_KEY, SORT_KEY } from '../aws/table-schema';
import { isNetworkFailure, networkDown } from '../platform/network-failure';
import { CHECK, failed, passed, sentenceOf, type CheckResult } from './check-result';
import { doctorDynamoDbClient } from './doctor-dynamodb-client';

const PROBE_SORT_KEY = 'doctor#isolation-probe';

export async function checkIsolation(profile: CloudProfile, credentials: AwsCredentials, options: { timeoutMs?: number } = {}): Promise<CheckResult> {
  const endpoint = dynamodbEndpointOf(profile);
  const timeoutMs = options.timeoutMs ?? 10_000;
  // An identity ID of the pool's region that is certainly not the caller's.
  const stranger = `${profile.region}:${randomUUID()}`;
  const client = doctorDynamoDbClient(profile, credentials, timeoutMs);
  const leak = `The authenticated role let identity ${credentials.identityId} write under another identity's partition key (${stranger}) in ${profile.tableName}: every signed-in user can read and overwrite everyone's data. Give the role's DynamoDB statement the condition ForAllValues:StringEquals dynamodb:LeadingKeys = \${cognito-identity.amazonaws.com:sub}, as infra/template.yaml does.`;
  try {
    await client.send(
      new PutItemCommand({
        TableName: profile.tableName,
        Item: { [PARTITION_KEY]: { S: stranger }, [SORT_KEY]: { S: PROBE_SORT_KEY } },
        // Never true: IAM decides before DynamoDB looks at it, so only a refusal by IAM is a pass.
        ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY },
      }),
    );
    return failed(CHECK.isolation, leak);
  } catch (error) {
    const { name } = error as { name?: string };
    if (name === 'AccessDeniedException') {
      return passed(CHECK.isolation, `a write under another identity's partition key is refused (AccessDenied): each user reaches only their own items`);
    }
    if (name === 'ConditionalCheckFailedException') return failed(CHECK.isolation, leak);
    if (isNetworkFailure(error)) return failed(CHECK.isolation, networkDown('DynamoDB', endpoint).message);
    return failed(
      CHECK.isolation,
      `DynamoDB answered the isolation probe with ${name ?? 'an error'} (${sentenceOf(error)}) instead of AccessDenied, so the doctor cannot tell whether users are kept apart. Check the pool's authenticated role against infra/template.yaml.`,
    );
  } finally {
    client.destroy();
  }
}
