// Check 10: with the signed-in user's own credentials, DescribeTable on the profile's table, and
// its keys and the bySyncKey index compared with the one schema the app uses (createTableInput).
import { DescribeTableCommand, type KeySchemaElement, type TableDescription } from '@aws-sdk/client-dynamodb';
import type { CloudProfile } from '../../shared/cloud-profile';
import type { AwsCredentials } from '../aws/cognito-credentials';
import { createTableInput, SYNC_KEY_INDEX } from '../aws/table-schema';
import { isNetworkFailure, networkDown } from '../platform/network-failure';
import { CHECK, failed, passed, sentenceOf, type CheckResult } from './check-result';
import { doctorDynamoDbClient } from './doctor-dynamodb-client';
import { dynamodbEndpointOf } from '../../shared/cloud-profile';

const RECREATE = 'A table\'s keys and local secondary indexes are fixed when it is created: create the table from infra/template.yaml (or point tableName at one made from it).';

function keysText(keys: KeySchemaElement[] | undefined, types: Map<string, string>): string {
  return (keys ?? []).map((key) => `${key.AttributeName} (${types.get(key.AttributeName ?? '') ?? '?'}) ${key.KeyType}`).join(', ') || 'none';
}

/** How `table` differs from `createTableInput`: one phrase per difference, empty when it matches. */
export function tableSchemaDifferences(table: TableDescription): string[] {
  const expected = createTableInput(table.TableName ?? '');
  const wantTypes = new Map(expected.AttributeDefinitions?.map((each) => [each.AttributeName ?? '', each.AttributeType ?? '']));
  const haveTypes = new Map(table.AttributeDefinitions?.map((each) => [each.AttributeName ?? '', each.AttributeType ?? '']));
  const differences: string[] = [];

  const wantKeys = keysText(expected.KeySchema, wantTypes);
  const haveKeys = keysText(table.KeySchema, haveTypes);
  if (haveKeys !== wantKeys) differences.push(`its key schema is ${haveKeys}; the app needs ${wantKeys}`);

  const wantIndex = expected.LocalSecondaryIndexes?.find((index) => index.IndexName === SYNC_KEY_INDEX);
  const haveIndex = table.LocalSecondaryIndexes?.find((index) => index.IndexName === SYNC_KEY_INDEX);
  const wantIndexKeys = keysText(wantIndex?.KeySchema, wantTypes);
  const wantProjection = wantIndex?.Projection?.ProjectionType;
  if (haveIndex === undefined) {
    differences.push(`it has no local secondary index ${SYNC_KEY_INDEX} (${wantIndexKeys}, projection ${wantProjection})`);
  } else {
    const haveIndexKeys = keysText(haveIndex.KeySchema, haveTypes);
    if (haveIndexKeys !== wantIndexKeys) differences.push(`its index ${SYNC_KEY_INDEX} has keys ${haveIndexKeys}; the app needs ${wantIndexKeys}`);
    const haveProjection = haveIndex.Projection?.ProjectionType;
    if (haveProjection !== wantProjection) differences.push(`its index ${SYNC_KEY_INDEX} projects ${haveProjection ?? 'nothing'}; the app needs ${wantProjection}`);
  }
  return differences;
}

export async function checkTable(profile: CloudProfile, credentials: AwsCredentials, options: { timeoutMs?: number } = {}): Promise<CheckResult> {
  const endpoint = dynamodbEndpointOf(profile);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const client = doctorDynamoDbClient(profile, credentials, timeoutMs);
  let table: TableDescription | undefined;
  try {
    table = (await client.send(new DescribeTableCommand({ TableName: profile.tableName }))).Table;
  } catch (error) {
    return failed(CHECK.table, describeTableFailure(error, profile, endpoint));
  } finally {
    client.destroy();
  }
  if (table === undefined) return failed(CHECK.table, `DynamoDB at ${endpoint} described no table ${profile.tableName}. Check tableName in the cloud profile.`);
  const differences = tableSchemaDifferences(table);
  if (differences.length > 0) return failed(CHECK.table, `Table ${profile.tableName} is not laid out as the app needs: ${differences.join('; ')}. ${RECREATE}`);
  const status = table.TableStatus ?? 'UNKNOWN';
  if (status !== 'ACTIVE' && status !== 'UPDATING') {
    return failed(CHECK.table, `Table ${profile.tableName} is ${status}; the app needs it ACTIVE. Wait for it to be created, or check tableName in the cloud profile.`);
  }
  return passed(CHECK.table, `${profile.tableName} is ${status}; keys and the ${SYNC_KEY_INDEX} index match the app's schema`);
}

function describeTableFailure(error: unknown, profile: CloudProfile, endpoint: string): string {
  if (isNetworkFailure(error)) return networkDown('DynamoDB', endpoint).message;
  const { name, message } = error as { name?: string; message?: string };
  switch (name) {
    case 'ResourceNotFoundException':
      return `There is no table ${profile.tableName} in ${profile.region} (${endpoint}). Create it from infra/template.yaml, or fix tableName and region in the cloud profile.`;
    case 'AccessDeniedException':
      return `The identity pool's authenticated role may not describe table ${profile.tableName} (${message}). Give the role dynamodb:DescribeTable on the table, as infra/template.yaml does, and check that tableName is the table that policy names.`;
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
      return `DynamoDB at ${endpoint} does not accept the credentials Cognito handed out (${name}). Check that region and dynamodbEndpoint belong to the same AWS account and region as the identity pool.`;
    default:
      return `DynamoDB refused DescribeTable on ${profile.tableName} (${name ?? 'error'}: ${message ?? sentenceOf(error)}). Check the cloud profile and the pool's authenticated role.`;
  }
}
