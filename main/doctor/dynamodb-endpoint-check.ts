// Check 7: the DynamoDB endpoint answers like DynamoDB. Without a sign-in there are no credentials,
// so the request goes unsigned: AWS's front end refusing it (MissingAuthenticationToken and the
// like) proves the endpoint is there and speaks DynamoDB's protocol.
import { dynamodbEndpointOf, type CloudProfile } from '../../shared/cloud-profile';
import { isNetworkFailure, networkDown } from '../platform/network-failure';
import { CHECK, failed, passed, sentenceOf, type CheckResult } from './check-result';

/** AWS's answers to a request that carries no valid signature. */
const AUTH_ERRORS = /MissingAuthenticationToken|UnrecognizedClient|IncompleteSignature|InvalidSignature|AccessDenied|InvalidClientTokenId/;

export async function checkDynamoDbEndpoint(profile: CloudProfile, options: { timeoutMs?: number } = {}): Promise<CheckResult> {
  const endpoint = dynamodbEndpointOf(profile);
  let status: number;
  let text: string;
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.DescribeTable' },
      body: JSON.stringify({ TableName: profile.tableName }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    return failed(CHECK.dynamodb, isNetworkFailure(error) ? networkDown('DynamoDB', endpoint).message : `Can't reach DynamoDB at ${endpoint} (${sentenceOf(error)}). Check dynamodbEndpoint and region in the cloud profile.`);
  }
  const type = errorType(text);
  if (type !== undefined && AUTH_ERRORS.test(type)) {
    return passed(CHECK.dynamodb, `${endpoint} answers as DynamoDB (an unsigned request gets ${type})`);
  }
  return failed(
    CHECK.dynamodb,
    `${endpoint} does not answer like DynamoDB (HTTP ${status}${type === undefined ? '' : `, ${type}`}). Check dynamodbEndpoint and region in the cloud profile; leave dynamodbEndpoint out to use AWS's own endpoint.`,
  );
}

/** The exception name of an AWS JSON error body: what follows '#' in `__type`. */
function errorType(text: string): string | undefined {
  try {
    const type = (JSON.parse(text) as { __type?: unknown }).__type;
    return typeof type === 'string' ? type.slice(type.lastIndexOf('#') + 1) : undefined;
  } catch {
    return undefined;
  }
}
