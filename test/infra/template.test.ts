// The CloudFormation template must say what main/aws/table-schema.ts says: the same table layout
// and the same per-identity actions. Editing one without the other makes these tests fail. The same
// goes for the push hints' Events API: its namespace runs infra/appsync/sync-channel-handlers.js,
// inlined in the template, and the two must stay the same text.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument, visit } from 'yaml';
import {
  ALLOWED_OPERATIONS,
  DEFAULT_TABLE_NAME,
  IDENTITY_ITEM_ACTIONS,
  IDENTITY_TABLE_ACTIONS,
  SYNC_KEY_INDEX,
  createTableInput,
} from '../../main/aws/table-schema';
import { cloudProfileSchema, loginsKey } from '../../shared/cloud-profile';
import { SYNC_NAMESPACE } from '../../shared/sync-channel';

const TEMPLATE_TEXT = readFileSync(new URL('../../infra/template.yaml', import.meta.url), 'utf8');
const HANDLERS_TEXT = readFileSync(new URL('../../infra/appsync/sync-channel-handlers.js', import.meta.url), 'utf8');
const template = loadTemplate(TEMPLATE_TEXT);
const schema = createTableInput(DEFAULT_TABLE_NAME);

const LEADING_KEY_IS_CALLER = {
  'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${cognito-identity.amazonaws.com:sub}'] },
};
const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, what: string): Json {
  if (!isRecord(value)) throw new Error(`${what} is not a mapping`);
  return value;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list`);
  return value;
}

function loadTemplate(text: string): Json {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(doc.errors.map(String).join('\n'));
  return record(doc.toJS(), 'the template');
}

/** The one resource of a type, so the tests do not depend on logical IDs. */
function only(type: string): { id: string; properties: Json; resource: Json } {
  const found = Object.entries(record(template.Resources, 'Resources')).filter(
    ([, resource]) => isRecord(resource) && resource.Type === type,
  );
  expect(found.map(([id]) => id), `exactly one ${type}`).toHaveLength(1);
  const [id, resource] = found[0] as [string, Json];
  return { id, resource, properties: record(resource.Properties, `${id}.Properties`) };
}

/** The statements of the role's inline policies, or of the one named. */
function roleStatements(policyName?: string): Json[] {
  const policies = list(only('AWS::IAM::Role').properties.Policies, 'role Policies');
  const chosen = policies.filter((policy) => policyName === undefined || record(policy, 'policy').PolicyName === policyName);
  expect(chosen.length, `the role's policies${policyName === undefined ? '' : ` named ${policyName}`}`).toBeGreaterThan(0);
  return chosen.flatMap((policy) => {
    const document = record(record(policy, 'policy').PolicyDocument, 'PolicyDocument');
    expect(document.Version).toBe('2012-10-17');
    return list(document.Statement, 'Statement').map((statement) => record(statement, 'statement'));
  });
}

function actionsOf(statement: Json): string[] {
  return typeof statement.Action === 'string' ? [statement.Action] : (list(statement.Action, 'Action') as string[]);
}

const sorted = (values: readonly string[]): string[] => [...values].sort();

const DATASET_POLICY = 'own-dataset-items';
const SYNC_CHANNEL_POLICY = 'own-sync-channel';
const EVENTS_ACTIONS = ['appsync:EventConnect', 'appsync:EventSubscribe', 'appsync:EventPublish'];
const IAM_ONLY = [{ AuthType: 'AWS_IAM' }];

function subVariables(text: string): string[] {
  // `${!Literal}` is Fn::Sub's escape for a literal `${Literal}`.
  return [...text.matchAll(/\$\{([^!}][^}]*)\}/g)].map((match) => match[1] as string);
}

/** Every Ref, Fn::GetAtt, Fn::Sub variable and DependsOn that names nothing in the template. */
function danglingReferences(tpl: Json): string[] {
  const parameters = new Set(Object.keys(isRecord(tpl.Parameters) ? tpl.Parameters : {}));
  const resources = new Set(Object.keys(isRecord(tpl.Resources) ? tpl.Resources : {}));
  const named = (name: string): boolean => parameters.has(name) || resources.has(name) || PSEUDO_PARAMETERS.has(name);
  const problems: string[] = [];
  const visitNode = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visitNode);
    if (!isRecord(node)) return;
    if ('Ref' in node && (typeof node.Ref !== 'string' || !named(node.Ref))) problems.push(`Ref ${String(node.Ref)}`);
    if ('Fn::GetAtt' in node) {
      const target = node['Fn::GetAtt'];
      const [resource, attribute] = Array.isArray(target) ? target : String(target).split('.');
      if (typeof resource !== 'string' || !resources.has(resource) || !attribute) {
        problems.push(`Fn::GetAtt ${JSON.stringify(target)}`);
      }
    }
    if ('Fn::Sub' in node) {
      const sub = node['Fn::Sub'];
      const [text, variables] = Array.isArray(sub) ? [String(sub[0]), record(sub[1], 'Fn::Sub variables')] : [String(sub), {}];
      for (const name of subVariables(text)) {
        const dot = name.indexOf('.');
        const known = name in variables || (dot > 0 ? resources.has(name.slice(0, dot)) : named(name));
        if (!known) problems.push(`Fn::Sub \${${name}}`);
      }
    }
    if ('DependsOn' in node) {
      for (const name of [node.DependsOn].flat()) if (!resources.has(String(name))) problems.push(`DependsOn ${String(name)}`);
    }
    Object.values(node).forEach(visitNode);
  };
  visitNode(tpl);
  return problems;
}

/** Resolves Ref and string Fn::Sub the way CloudFormation would, from given values. */
function resolve(value: unknown, values: Record<string, string>): string {
  const lookup = (name: string): string => {
    const found = values[name];
    if (found === undefined) throw new Error(`no value for ${name}`);
    return found;
  };
  const node = record(value, 'an output value');
  if (typeof node.Ref === 'string') return lookup(node.Ref);
  if (typeof node['Fn::Sub'] === 'string') return node['Fn::Sub'].replace(/\$\{([^!}][^}]*)\}/g, (_, name: string) => lookup(name));
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

describe('infra/template.yaml', () => {
  it('reads as plain YAML: no short-form tags such as !Ref, no parser warnings', () => {
    const doc = parseDocument(TEMPLATE_TEXT);
    const tags: string[] = [];
    visit(doc, {
      Node(_, node) {
        if (node.tag) tags.push(node.tag);
      },
    });
    expect(doc.errors.map(String)).toEqual([]);
    expect(doc.warnings.map(String)).toEqual([]);
    expect(tags).toEqual([]);
  });

  it('every Ref, Fn::GetAtt and Fn::Sub variable names a parameter or resource the template defines', () => {
    expect(danglingReferences(template)).toEqual([]);
  });

  it('a reference to something undefined is reported (the check above can fail)', () => {
    const broken = {
      Parameters: { Domain: { Type: 'String' } },
      Resources: {
        Table: { Type: 'AWS::DynamoDB::Table', DependsOn: 'Gone' },
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: {
            A: { Ref: 'Missing' },
            B: { 'Fn::GetAtt': ['Nowhere', 'Arn'] },
            C: { 'Fn::Sub': 'https://${Domain}/${Absent}/${!Literal}/${Table.Arn}/${AWS::Region}' },
            D: { 'Fn::Sub': '${cognito-identity.amazonaws.com:sub}' },
          },
        },
      },
    };
    expect(danglingReferences(broken)).toEqual([
      'DependsOn Gone',
      'Ref Missing',
      'Fn::GetAtt ["Nowhere","Arn"]',
      'Fn::Sub ${Absent}',
      'Fn::Sub ${cognito-identity.amazonaws.com:sub}',
    ]);
  });

  describe('the datasets table', () => {
    it('has the keys, attribute types and sync-key index of createTableInput()', () => {
      const { properties } = only('AWS::DynamoDB::Table');
      expect(properties.KeySchema).toEqual(schema.KeySchema);
      expect(properties.AttributeDefinitions).toEqual(schema.AttributeDefinitions);
      expect(properties.LocalSecondaryIndexes).toEqual(schema.LocalSecondaryIndexes);
      expect(properties.GlobalSecondaryIndexes).toEqual(schema.GlobalSecondaryIndexes);
      expect(properties.BillingMode).toBe(schema.BillingMode);
    });

    it("is named by the TableName parameter, which defaults to the app's default table name", () => {
      const { properties } = only('AWS::DynamoDB::Table');
      expect(properties.TableName).toEqual({ Ref: 'TableName' });
      expect(record(record(template.Parameters, 'Parameters').TableName, 'TableName').Default).toBe(DEFAULT_TABLE_NAME);
    });

    it("outlives the stack and keeps users' data encrypted and recoverable", () => {
      const { resource, properties } = only('AWS::DynamoDB::Table');
      expect(resource.DeletionPolicy).toBe('Retain');
      expect(resource.UpdateReplacePolicy).toBe('Retain');
      expect(properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(properties.SSESpecification).toEqual({ SSEEnabled: true });
    });
  });

  describe("the signed-in identities' role", () => {
    const table = () => only('AWS::DynamoDB::Table').id;

    it("may use exactly the schema's item actions, and only on items whose pk is the caller's identity ID", () => {
      const itemStatements = roleStatements(DATASET_POLICY).filter((statement) => statement.Condition !== undefined);
      expect(itemStatements).toHaveLength(1);
      const statement = itemStatements[0] as Json;
      expect(statement.Effect).toBe('Allow');
      expect(sorted(actionsOf(statement))).toEqual(sorted(IDENTITY_ITEM_ACTIONS));
      expect(statement.Condition).toEqual(LEADING_KEY_IS_CALLER);
      expect(statement.Resource).toEqual([
        { 'Fn::GetAtt': [table(), 'Arn'] },
        { 'Fn::Sub': `\${${table()}.Arn}/index/${SYNC_KEY_INDEX}` },
      ]);
    });

    it("names each of the table's indexes, and no index it does not have (no wildcard)", () => {
      const { properties } = only('AWS::DynamoDB::Table');
      const indexes = [properties.LocalSecondaryIndexes, properties.GlobalSecondaryIndexes]
        .flatMap((found) => (found === undefined ? [] : list(found, 'the indexes')))
        .map((index) => record(index, 'an index').IndexName);
      expect(indexes).toEqual([SYNC_KEY_INDEX]);
      const named = roleStatements(DATASET_POLICY)
        .flatMap((statement) => list(statement.Resource, 'Resource'))
        .map((resource) => record(resource, 'a resource')['Fn::Sub'])
        .filter((sub): sub is string => typeof sub === 'string' && sub.includes('/index/'));
      expect(named).toEqual(indexes.map((index) => `\${${table()}.Arn}/index/${index}`));
      expect(JSON.stringify(roleStatements())).not.toContain('*');
    });

    it("may use the schema's table actions on the table alone, with no leading-key condition", () => {
      const tableStatements = roleStatements(DATASET_POLICY).filter((statement) => statement.Condition === undefined);
      expect(tableStatements).toHaveLength(1);
      const statement = tableStatements[0] as Json;
      expect(statement.Effect).toBe('Allow');
      expect(sorted(actionsOf(statement))).toEqual(sorted(IDENTITY_TABLE_ACTIONS));
      expect(statement.Resource).toEqual([{ 'Fn::GetAtt': [table(), 'Arn'] }]);
    });

    it('is granted nothing else', () => {
      const { properties } = only('AWS::IAM::Role');
      expect(properties.ManagedPolicyArns).toBeUndefined();
      expect(properties.PermissionsBoundary).toBeUndefined();
      expect(roleStatements(DATASET_POLICY).flatMap(actionsOf).sort()).toEqual(sorted([...IDENTITY_ITEM_ACTIONS, ...IDENTITY_TABLE_ACTIONS]));
      expect(roleStatements(SYNC_CHANNEL_POLICY).flatMap(actionsOf).sort()).toEqual(sorted(EVENTS_ACTIONS));
      expect(roleStatements().flatMap(actionsOf).sort()).toEqual(
        sorted([...IDENTITY_ITEM_ACTIONS, ...IDENTITY_TABLE_ACTIONS, ...EVENTS_ACTIONS]),
      );
    });

    it('lets through every DynamoDB operation the app calls', () => {
      // Transactions are authorised per item by the item actions, as IAM does.
      const needs: Record<string, string[]> = {
        TransactGetItems: ['GetItem'],
        TransactWriteItems: ['PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
      };
      const granted = new Set(roleStatements().flatMap(actionsOf));
      const missing = ALLOWED_OPERATIONS.flatMap((operation) => needs[operation] ?? [operation])
        .map((action) => `dynamodb:${action}`)
        .filter((action) => !granted.has(action));
      expect(missing).toEqual([]);
    });

    it("can be assumed only by this identity pool's signed-in identities", () => {
      const trust = record(only('AWS::IAM::Role').properties.AssumeRolePolicyDocument, 'trust policy');
      expect(trust.Version).toBe('2012-10-17');
      expect(trust.Statement).toEqual([
        {
          Effect: 'Allow',
          Principal: { Federated: 'cognito-identity.amazonaws.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { 'cognito-identity.amazonaws.com:aud': { Ref: only('AWS::Cognito::IdentityPool').id } },
            'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
          },
        },
      ]);
    });
  });

  describe('the identity pool', () => {
    it('gives no identity to anyone who has not signed in with Auth0', () => {
      const { properties } = only('AWS::Cognito::IdentityPool');
      expect(properties.AllowUnauthenticatedIdentities).toBe(false);
      expect(properties.OpenIdConnectProviderARNs).toEqual([{ Ref: only('AWS::IAM::OIDCProvider').id }]);
      expect(properties.SupportedLoginProviders).toBeUndefined();
      expect(properties.CognitoIdentityProviders).toBeUndefined();
    });

    it('hands signed-in identities the role and has no role for guests', () => {
      const { properties } = only('AWS::Cognito::IdentityPoolRoleAttachment');
      expect(properties.IdentityPoolId).toEqual({ Ref: only('AWS::Cognito::IdentityPool').id });
      expect(properties.Roles).toEqual({ authenticated: { 'Fn::GetAtt': [only('AWS::IAM::Role').id, 'Arn'] } });
    });

    it("trusts the Auth0 issuer (with Auth0's trailing slash) for the app's client ID", () => {
      const { properties } = only('AWS::IAM::OIDCProvider');
      expect(properties.Url).toEqual({ 'Fn::Sub': 'https://${Auth0Domain}/' });
      expect(properties.ClientIdList).toEqual([{ Ref: 'Auth0ClientId' }]);
      expect(properties.ThumbprintList).toEqual([{ Ref: 'Auth0Thumbprint' }]);
      expect(resolve(properties.Url, { Auth0Domain: 'example.eu.auth0.com' })).toBe('https://example.eu.auth0.com/');
    });
  });

  describe("the push hints' Events API", () => {
    it('takes only requests signed with AWS credentials (AWS_IAM) to connect, publish and subscribe, and has no API key', () => {
      const eventConfig = record(only('AWS::AppSync::Api').properties.EventConfig, 'EventConfig');
      expect(eventConfig).toEqual({
        AuthProviders: IAM_ONLY,
        ConnectionAuthModes: IAM_ONLY,
        DefaultPublishAuthModes: IAM_ONLY,
        DefaultSubscribeAuthModes: IAM_ONLY,
      });
      const types = Object.values(record(template.Resources, 'Resources')).map((resource) => record(resource, 'a resource').Type);
      expect(types).not.toContain('AWS::AppSync::ApiKey');
    });

    it('has one namespace, sync, on that API, with AWS_IAM for publishing and subscribing and code handlers only', () => {
      const { properties } = only('AWS::AppSync::ChannelNamespace');
      expect(properties.ApiId).toEqual({ 'Fn::GetAtt': [only('AWS::AppSync::Api').id, 'ApiId'] });
      expect(properties.Name).toBe(SYNC_NAMESPACE);
      expect(properties.PublishAuthModes).toEqual(IAM_ONLY);
      expect(properties.SubscribeAuthModes).toEqual(IAM_ONLY);
      // No data source or Lambda: the inline code alone decides.
      expect(properties.HandlerConfigs).toBeUndefined();
      expect(properties.CodeS3Location).toBeUndefined();
    });

    it('runs infra/appsync/sync-channel-handlers.js as it is, with only the identity pool filled in by Fn::Sub', () => {
      const { properties } = only('AWS::AppSync::ChannelNamespace');
      expect(properties.CodeHandlers).toEqual({ 'Fn::Sub': HANDLERS_TEXT });
      expect(subVariables(HANDLERS_TEXT)).toEqual([only('AWS::Cognito::IdentityPool').id]);
      const poolId = 'eu-west-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
      const deployed = resolve(properties.CodeHandlers, { [only('AWS::Cognito::IdentityPool').id]: poolId });
      expect(deployed).toContain(`const IDENTITY_POOL_ID = '${poolId}';`);
      // AppSync takes at most 32768 characters of handler code.
      expect(deployed.length).toBeLessThanOrEqual(32_768);
    });

    it("lets the signed-in identities connect to exactly this API and use exactly the sync namespace, nothing wider", () => {
      const statements = roleStatements(SYNC_CHANNEL_POLICY);
      expect(statements.map(({ Sid, ...statement }) => statement)).toEqual([
        {
          Effect: 'Allow',
          Action: ['appsync:EventConnect'],
          Resource: [{ 'Fn::GetAtt': [only('AWS::AppSync::Api').id, 'ApiArn'] }],
        },
        {
          Effect: 'Allow',
          Action: ['appsync:EventSubscribe', 'appsync:EventPublish'],
          Resource: [{ 'Fn::GetAtt': [only('AWS::AppSync::ChannelNamespace').id, 'ChannelNamespaceArn'] }],
        },
      ]);
      const appsyncStatements = roleStatements().filter((statement) => actionsOf(statement).some((action) => action.startsWith('appsync:')));
      expect(appsyncStatements).toEqual(statements);
    });
  });

  describe('the stack outputs', () => {
    const outputs = () => record(template.Outputs, 'Outputs');
    const valueOf = (name: string): unknown => record(outputs()[name], `output ${name}`).Value;

    it('are named by the cloud-profile keys', () => {
      expect(Object.keys(outputs())).toEqual(
        expect.arrayContaining(['issuer', 'clientId', 'identityPoolId', 'region', 'tableName', 'eventsHttpEndpoint', 'eventsRealtimeEndpoint']),
      );
      expect(valueOf('issuer')).toEqual(only('AWS::IAM::OIDCProvider').properties.Url);
      expect(valueOf('clientId')).toEqual({ Ref: 'Auth0ClientId' });
      expect(valueOf('identityPoolId')).toEqual({ Ref: only('AWS::Cognito::IdentityPool').id });
      expect(valueOf('region')).toEqual({ Ref: 'AWS::Region' });
      expect(valueOf('tableName')).toEqual({ Ref: only('AWS::DynamoDB::Table').id });
      const api = only('AWS::AppSync::Api').id;
      expect(valueOf('eventsHttpEndpoint')).toEqual({ 'Fn::Sub': `https://\${${api}.Dns.Http}/event` });
      expect(valueOf('eventsRealtimeEndpoint')).toEqual({ 'Fn::Sub': `wss://\${${api}.Dns.Realtime}/event/realtime` });
    });

    it('make a cloud profile the app accepts, whose Logins key is the Auth0 domain', () => {
      // What CloudFormation returns for each Ref once deployed (Ref of a table is its name).
      const deployed = {
        Auth0Domain: 'example.eu.auth0.com',
        Auth0ClientId: 'AbCdEf0123456789',
        'AWS::Region': 'eu-west-1',
        [only('AWS::Cognito::IdentityPool').id]: 'eu-west-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        [only('AWS::DynamoDB::Table').id]: DEFAULT_TABLE_NAME,
        [`${only('AWS::AppSync::Api').id}.Dns.Http`]: 'abcdefghijklmnopqrstuvwxyz.appsync-api.eu-west-1.amazonaws.com',
        [`${only('AWS::AppSync::Api').id}.Dns.Realtime`]: 'abcdefghijklmnopqrstuvwxyz.appsync-realtime-api.eu-west-1.amazonaws.com',
      };
      const profile = Object.fromEntries(
        Object.keys(outputs()).map((name) => [name, resolve(valueOf(name), deployed)]),
      );
      const parsed = cloudProfileSchema.safeParse(profile);
      expect(parsed.error?.issues ?? []).toEqual([]);
      // Every output is a profile key: none is dropped as unknown on the way.
      expect(parsed.data).toEqual(profile);
      expect(loginsKey(parsed.data?.issuer ?? '')).toBe('example.eu.auth0.com');
      expect(profile.eventsHttpEndpoint).toBe('https://abcdefghijklmnopqrstuvwxyz.appsync-api.eu-west-1.amazonaws.com/event');
      expect(profile.eventsRealtimeEndpoint).toBe('wss://abcdefghijklmnopqrstuvwxyz.appsync-realtime-api.eu-west-1.amazonaws.com/event/realtime');
    });
  });
});
