// Composition of the local cloud: the Auth0 stand-in, the Cognito Identity emulator, DynamoDB
// Local behind the SigV4/policy gateway and the AppSync Events API stand-in (push hints), wired the
// way the real services trust each other.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TABLE_NAME } from '../main/aws/table-schema';
import { startEventsEndpoint, type PushCounts, type PushFaults, type StartEventsEndpointOptions } from './appsync/events-endpoint';
import { createCredentialRegistry } from './cognito/credential-registry';
import { startCognito } from './cognito/start-cognito';
import { ensureTable, startDynamoDbLocal } from './dynamodb/dynamodb-local';
import { startGateway, type Faults, type RequestCounts } from './dynamodb/gateway';
import type { StartGatewayOptions } from './dynamodb/gateway';
import { startIdp, type RunningIdp } from './idp/start-idp';
import { keepPort, keptPort } from './listen';
import { LocalCloudError } from './local-cloud-error';
import { openStateStore } from './state-store';

export const REGION = 'us-east-1';
/** Where `npm run localcloud` and `npm start` keep the local cloud unless told otherwise. */
export const DEFAULT_DATA_DIR = join(homedir(), '.auth0-cognito-desktop', 'localcloud');
export const ACCOUNT_ID = '000000000000';

export interface LocalCloudOptions {
  /** Where state survives a restart; without it (or with inMemory) everything lives in memory. */
  dataDir?: string;
  inMemory?: boolean;
  idTokenTtlSeconds?: number;
  credentialTtlSeconds?: number;
  testClients?: boolean;
  faults?: Faults;
  /** For tests only: the role policy the gateway applies instead of the real one (e.g. without LeadingKeys). */
  gatewayPolicy?: StartGatewayOptions['policy'];
  pushFaults?: PushFaults;
  /** For tests only: the channel handlers the Events stand-in runs instead of infra/appsync's file. */
  pushHandlers?: StartEventsEndpointOptions['handlers'];
  /** For tests: the Events API's keep-alive interval and the connectionTimeoutMs it announces (60 s and 5 min). */
  pushKeepAlive?: Pick<StartEventsEndpointOptions, 'keepAliveIntervalMs' | 'connectionTimeoutMs'>;
  now?: () => number;
}

/** What `npm run localcloud` prints as its one JSON line: a cloud profile plus the demo users. */
export interface LocalCloudDescription {
  issuer: string;
  clientId: string;
  identityPoolId: string;
  region: string;
  cognitoEndpoint: string;
  dynamodbEndpoint: string;
  tableName: string;
  /** The AppSync Events stand-in: publish by POST here (its host is what signatures name). */
  eventsHttpEndpoint: string;
  eventsRealtimeEndpoint: string;
  users: { username: string; password: string }[];
}

export interface LocalCloud extends LocalCloudDescription {
  testClients?: RunningIdp['testClients'];
  /** Changes the gateway's injected faults (throttling, 5xx, latency) while running. */
  setFaults(faults: Faults): void;
  /** Requests the gateway forwarded to DynamoDB, per identity ID and operation (what AWS bills). */
  requestCounts(): RequestCounts;
  resetRequestCounts(): void;
  /** Changes the Events API's injected faults (lost deliveries, refused subscriptions, silent keep-alives). */
  setPushFaults(faults: PushFaults): void;
  /** Closes every open push WebSocket now, as AWS does when it moves connections. */
  closePushSockets(): void;
  /** Connects, subscribes, publishes and deliveries of the Events API, per identity ID. */
  pushCounts(): Record<string, PushCounts>;
  resetPushCounts(): void;
  describe(): LocalCloudDescription;
  stop(): Promise<void>;
}

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  if (options.inMemory && options.dataDir !== undefined) {
    throw new LocalCloudError('BAD_OPTION', '--in-memory keeps nothing and --data-dir keeps the cloud in a folder: give one of them, not both.');
  }
  const store = openStateStore(options.inMemory ? undefined : options.dataDir);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  const started = <T extends { stop(): Promise<void> }>(service: T): T => {
    stops.push(() => service.stop());
    return service;
  };
  try {
    const idp = started(
      await startIdp({
        store,
        port: keptPort(store, 'idp'),
        idTokenTtlSeconds: options.idTokenTtlSeconds,
        testClients: options.testClients,
      }),
    );
    keepPort(store, 'idp', idp.port);

    const credentials = createCredentialRegistry(store, { now: options.now, ttlSeconds: options.credentialTtlSeconds });
    const cognito = started(
      await startCognito({
        store,
        port: keptPort(store, 'cognito'),
        region: REGION,
        accountId: ACCOUNT_ID,
        provider: { issuer: idp.issuer, clientIds: [idp.clientId], jwksUri: idp.jwksUri },
        credentials,
        now: options.now,
      }),
    );
    keepPort(store, 'cognito', cognito.port);

    const roleName = `Cognito_${cognito.identityPoolId.split(':')[1]?.slice(0, 8)}Auth_Role`;
    const events = started(
      await startEventsEndpoint({
        port: keptPort(store, 'events'),
        region: REGION,
        identityPoolId: cognito.identityPoolId,
        accountId: ACCOUNT_ID,
        roleName,
        credentials,
        faults: options.pushFaults,
        handlers: options.pushHandlers,
        ...options.pushKeepAlive,
        now: options.now,
      }),
    );
    keepPort(store, 'events', events.port);

    const dynamo = started(
      await startDynamoDbLocal({ dbPath: store.dir === undefined ? undefined : join(store.dir, 'dynamodb') }),
    );
    const tableName = DEFAULT_TABLE_NAME;
    await ensureTable(dynamo, REGION, tableName);

    const gateway = started(
      await startGateway({
        port: keptPort(store, 'dynamodb'),
        upstream: dynamo.endpoint,
        upstreamSecret: dynamo.secret,
        policy: options.gatewayPolicy,
        region: REGION,
        tableName,
        accountId: ACCOUNT_ID,
        roleName,
        credentials,
        faults: options.faults,
        now: options.now,
      }),
    );
    keepPort(store, 'dynamodb', gateway.port);

    const description: LocalCloudDescription = {
      issuer: idp.issuer,
      clientId: idp.clientId,
      identityPoolId: cognito.identityPoolId,
      region: REGION,
      cognitoEndpoint: cognito.endpoint,
      dynamodbEndpoint: gateway.endpoint,
      tableName,
      eventsHttpEndpoint: events.httpEndpoint,
      eventsRealtimeEndpoint: events.realtimeEndpoint,
      users: idp.users,
    };
    return {
      ...description,
      testClients: idp.testClients,
      setFaults: (faults) => gateway.setFaults(faults),
      requestCounts: () => gateway.requestCounts(),
      resetRequestCounts: () => gateway.resetRequestCounts(),
      setPushFaults: (faults) => events.setFaults(faults),
      closePushSockets: () => events.closeSockets(),
      pushCounts: () => events.counts(),
      resetPushCounts: () => events.resetCounts(),
      describe: () => description,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
