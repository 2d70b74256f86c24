// Every way DynamoDB can refuse a sync request, as a code and a sentence that tells the user or the
// admin what to do. DynamoDB names its failures by exception type; the SDK raises them by that name.
import { AppError } from '../../shared/errors';
import { awsErrorParts } from './aws-error';
import { clockSkew } from './cognito-errors';

export interface DynamoDbContext {
  tableName: string;
  region: string;
  endpoint: string;
}


function httpStatus(error: unknown): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'LimitExceededException',
]);

/** The one IAM setting every item request depends on, named the way the admin will find it. */
export const LEADING_KEYS_POLICY =
  'the identity pool\'s authenticated role (AWS Console > IAM > Roles > the pool\'s authenticated role > Permissions) must allow dynamodb:GetItem, PutItem, UpdateItem, DeleteItem, Query and ConditionCheckItem on the table and its bySyncKey index, with the condition "ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${cognito-identity.amazonaws.com:sub}"]}, as infra/template.yaml does';

// Like every sentence here, it names no dataset, key or value: errors may reach a log.
export function conflictRetriesExhausted(attempts: number): AppError {
  return new AppError(
    'SYNC_CONFLICT_RETRIES_EXHAUSTED',
    `Other devices kept changing this dataset while this one tried to send its changes (${attempts} attempts). Nothing is lost: the changes stay on this device and the next sync tries again.`,
  );
}

export function dynamoDbFailure(error: unknown, context: DynamoDbContext): AppError {
  const parts = awsErrorParts(error, 'DynamoDB', context.endpoint);
  if (parts instanceof AppError) return parts;
  const { name, message, cause } = parts;

  if (name !== undefined && THROTTLING.has(name)) {
    return new AppError('THROTTLED', 'DynamoDB is receiving more requests than the table allows right now. Your changes are kept on this device; the app will try again shortly.', cause);
  }
  switch (name) {
    // A policy that worked yesterday refuses today mostly because the request was signed with
    // credentials that no longer fit the user (another identity's, expired, revoked): signing in
    // again fixes that, so it comes first and the policy second.
    case 'AccessDeniedException':
      return new AppError(
        'ACCESS_DENIED',
        `DynamoDB refused a sync request on table ${context.tableName} (${message}). Your changes are kept on this device. Most likely the credentials were issued for another identity, or have expired or been revoked: sign out and sign in again. If it keeps happening, an administrator should check the role's policy: ${LEADING_KEYS_POLICY}.`,
        cause,
      );
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'IncompleteSignatureException':
    case 'MissingAuthenticationTokenException':
      return new AppError(
        'ACCESS_DENIED',
        `DynamoDB at ${context.endpoint} does not accept the credentials Cognito handed out (${name}). Your changes are kept on this device. They may have expired or been revoked: sign out and sign in again. If it keeps happening, an administrator should check that region and dynamodbEndpoint in the cloud profile belong to the same AWS account and region as the identity pool.`,
        cause,
      );
    case 'ExpiredTokenException':
      return clockSkew(error);
    case 'ValidationException':
      if (/item size has exceeded/i.test(message)) {
        // An item and its copy in the ALL-projected bySyncKey index share DynamoDB's 400 KB item limit.
        return new AppError(
          'DYNAMODB_ERROR',
          'A record is too large for the table: a value and its copy in the sync index must fit in DynamoDB\'s 400 KB item limit together, so values of about 200,000 bytes at most can sync. Make that value smaller; until then this dataset\'s changes stay on this device.',
          cause,
        );
      }
      return new AppError('DYNAMODB_ERROR', `DynamoDB refused a sync request as invalid (${message}). Your changes are kept on this device; tell your administrator.`, cause);
    case 'ResourceNotFoundException':
      return new AppError(
        'TABLE_NOT_FOUND',
        `There is no table ${context.tableName} (or no index bySyncKey on it) in ${context.region} (${context.endpoint}). Create it from infra/template.yaml, or fix tableName and region in the cloud profile.`,
        cause,
      );
    default: {
      const status = httpStatus(error);
      if (name === 'InternalServerError' || name === 'ServiceUnavailable' || (status !== undefined && status >= 500)) {
        return new AppError('DYNAMODB_ERROR', 'DynamoDB had an internal error. Your changes are kept on this device; the app will try again shortly.', cause);
      }
      return new AppError(
        'DYNAMODB_ERROR',
        `DynamoDB refused a sync request (${name ?? 'error'}: ${message}). Your changes are kept on this device; if it keeps happening, tell your administrator.`,
        cause,
      );
    }
  }
}
