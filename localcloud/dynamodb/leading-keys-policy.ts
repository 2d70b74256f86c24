// The authenticated role's IAM policy, evaluated per request: the allowed operations on the app's
// table (and its one index, bySyncKey, named as infra/template.yaml names it) only, with every key
// touched under `dynamodb:LeadingKeys` = the caller's identity ID.
import { ALLOWED_OPERATIONS, PARTITION_KEY, SYNC_KEY_INDEX } from '../../main/aws/table-schema';

type Json = Record<string, unknown>;

export interface PolicyScope {
  tableName: string;
  identityId: string;
}

/** What IAM names in its refusal: the action and the resource it was refused on. */
export interface Denial {
  action: string;
  /** Undefined for actions on no particular table (ListTables): IAM then names `table/*`. */
  tableName?: string;
  indexName?: string;
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isAllowedOperation = (operation: string): boolean => (ALLOWED_OPERATIONS as readonly string[]).includes(operation);

// Each item inside a transaction is authorised as its own item action, as IAM does.
const TRANSACT_WRITE_ACTIONS: Record<string, { action: string; keyField: 'Item' | 'Key' }> = {
  Put: { action: 'dynamodb:PutItem', keyField: 'Item' },
  Update: { action: 'dynamodb:UpdateItem', keyField: 'Key' },
  Delete: { action: 'dynamodb:DeleteItem', keyField: 'Key' },
  ConditionCheck: { action: 'dynamodb:ConditionCheckItem', keyField: 'Key' },
};

/** Undefined when the role allows the request, else what IAM would say it refused. */
export function authorize(operation: string, input: Json, scope: PolicyScope): Denial | undefined {
  const action = `dynamodb:${operation}`;
  const requestedTable = typeof input.TableName === 'string' ? input.TableName : undefined;
  if (!isAllowedOperation(operation)) return { action, tableName: requestedTable };
  const onTable = (tableName: unknown) => tableName === scope.tableName;
  const owns = (key: unknown) => ownsKey(key, scope.identityId);
  const denyUnless = (allowed: boolean, tableName = requestedTable, indexName?: string): Denial | undefined =>
    allowed ? undefined : { action, tableName, indexName };

  switch (operation) {
    case 'DescribeTable':
      return denyUnless(onTable(input.TableName));
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return denyUnless(onTable(input.TableName) && owns(input.Key));
    case 'PutItem':
      return denyUnless(onTable(input.TableName) && owns(input.Item));
    case 'Query': {
      const indexName = typeof input.IndexName === 'string' ? input.IndexName : undefined;
      const partitions = queriedPartitions(input);
      const ownsPartition = (value: unknown) => isIdentity(value, scope.identityId);
      const onResource = onTable(input.TableName) && (indexName === undefined || indexName === SYNC_KEY_INDEX);
      return denyUnless(onResource && partitions.length > 0 && partitions.every(ownsPartition), requestedTable, indexName);
    }
    case 'BatchGetItem':
      return authorizeBatch(input, scope, action, (request) => isObject(request) && Array.isArray(request.Keys) && request.Keys.every(owns));
    case 'BatchWriteItem':
      return authorizeBatch(input, scope, action, (requests) => Array.isArray(requests) && requests.every((request) => ownsWriteRequest(request, owns)));
    case 'TransactGetItems':
      return authorizeTransaction(input, scope, action, (item) => {
        const get = item.Get;
        return Object.keys(item).length === 1 && isObject(get) ? { action: 'dynamodb:GetItem', target: get, key: get.Key } : undefined;
      });
    case 'TransactWriteItems':
      return authorizeTransaction(input, scope, action, (item) => {
        const [kind, ...others] = Object.keys(item);
        const rule = kind !== undefined && Object.hasOwn(TRANSACT_WRITE_ACTIONS, kind) ? TRANSACT_WRITE_ACTIONS[kind] : undefined;
        const target = kind === undefined ? undefined : item[kind];
        return others.length === 0 && rule !== undefined && isObject(target)
          ? { action: rule.action, target, key: target[rule.keyField] }
          : undefined;
      });
    default:
      return { action, tableName: requestedTable };
  }
}

/** An attribute value that is exactly the string `identityId`. */
function isIdentity(value: unknown, identityId: string): boolean {
  return isObject(value) && Object.keys(value).length === 1 && value.S === identityId;
}

/** A key (or item) whose partition key is the caller's identity ID. */
function ownsKey(key: unknown, identityId: string): boolean {
  return isObject(key) && isIdentity(key[PARTITION_KEY], identityId);
}

function ownsWriteRequest(request: unknown, owns: (key: unknown) => boolean): boolean {
  if (!isObject(request) || Object.keys(request).length !== 1) return false;
  if (isObject(request.PutRequest)) return owns(request.PutRequest.Item);
  if (isObject(request.DeleteRequest)) return owns(request.DeleteRequest.Key);
  return false;
}

function authorizeBatch(input: Json, scope: PolicyScope, action: string, ownsRequests: (requests: unknown) => boolean): Denial | undefined {
  if (!isObject(input.RequestItems)) return { action, tableName: scope.tableName };
  for (const [tableName, requests] of Object.entries(input.RequestItems)) {
    if (tableName !== scope.tableName || !ownsRequests(requests)) return { action, tableName };
  }
  return undefined;
}

interface TransactionItemCheck {
  action: string;
  target: Json;
  key: unknown;
}

function authorizeTransaction(
  input: Json,
  scope: PolicyScope,
  action: string,
  check: (item: Json) => TransactionItemCheck | undefined,
): Denial | undefined {
  if (!Array.isArray(input.TransactItems)) return { action, tableName: scope.tableName };
  for (const item of input.TransactItems) {
    const found = isObject(item) ? check(item) : undefined;
    if (found === undefined) return { action, tableName: scope.tableName };
    const tableName = typeof found.target.TableName === 'string' ? found.target.TableName : undefined;
    if (tableName !== scope.tableName || !ownsKey(found.key, scope.identityId)) return { action: found.action, tableName };
  }
  return undefined;
}

const OPERAND = String.raw`(#[A-Za-z0-9_]+|:[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*)`;
// Operands stand between blanks or parentheses: `a.pk = :v` or `:vé` never pass for `pk = :v`.
const EQUALITY = new RegExp(String.raw`(?<=^|[\s(])${OPERAND}\s*=\s*${OPERAND}(?=$|[\s)])`, 'g');

/**
 * The partition-key values a Query names by equality (`pk = :v`, through ExpressionAttributeNames
 * and Values, or the legacy KeyConditions). A partition key compared any other way yields a value
 * no one owns, so the Query is refused.
 */
function queriedPartitions(input: Json): unknown[] {
  const names = isObject(input.ExpressionAttributeNames) ? input.ExpressionAttributeNames : {};
  const values = isObject(input.ExpressionAttributeValues) ? input.ExpressionAttributeValues : {};
  const partitions: unknown[] = [];
  if (typeof input.KeyConditionExpression === 'string') {
    const attributeOf = (operand: string) => (operand.startsWith('#') ? names[operand] : operand.startsWith(':') ? undefined : operand);
    for (const [, left = '', right = ''] of input.KeyConditionExpression.matchAll(EQUALITY)) {
      if (attributeOf(left) === PARTITION_KEY) partitions.push(right.startsWith(':') ? values[right] : undefined);
      if (attributeOf(right) === PARTITION_KEY) partitions.push(left.startsWith(':') ? values[left] : undefined);
    }
  }
  if (isObject(input.KeyConditions)) {
    for (const [attribute, condition] of Object.entries(input.KeyConditions)) {
      if (attribute !== PARTITION_KEY) continue;
      const list = isObject(condition) && Array.isArray(condition.AttributeValueList) ? condition.AttributeValueList : [];
      partitions.push(isObject(condition) && condition.ComparisonOperator === 'EQ' && list.length === 1 ? list[0] : undefined);
    }
  }
  return partitions;
}
