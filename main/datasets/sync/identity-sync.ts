// One identity's sync, from its sign-in to its sign-out: the DynamoDB client bound to that
// identity, the engine and the scheduler. The client goes with the sync: the SDK keeps the
// credentials a client got until shortly before they expire, so a client kept across a sign-out
// signed the next user's requests with the previous user's keys (issue 12).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { identityChanged } from '../../aws/cognito-credentials';
import { createDynamoDbClient, dynamoDbContextOf } from '../../aws/dynamodb-client';
import type { Logger } from '../../platform/log';
import { createSyncEngine, type EngineStatus, type SyncEngine } from './sync-engine';
import { startSyncScheduler, type SyncScheduler } from './sync-scheduler';
import type { SyncServiceOptions } from './sync-service';

export type IdentitySyncDeps = Pick<
  SyncServiceOptions,
  'profile' | 'platform' | 'session' | 'notSignedIn' | 'credentials' | 'syncStorage' | 'deviceId' | 'intervalMs' | 'debounceMs'
> & {
  listeners: ReadonlySet<(identityId: string, status: EngineStatus) => void>;
  isOnline(): boolean;
  log: Logger;
};

export interface Running {
  identityId: string;
  client: DynamoDBClient;
  engine: SyncEngine;
  scheduler: SyncScheduler;
  stopStatus: () => void;
  /** From now on the client refuses every request, retries included. */
  retire: () => void;
}

export function startIdentitySync(deps: IdentitySyncDeps, identityId: string): Running {
  const { profile, credentials, session, notSignedIn, platform, listeners, isOnline, log } = deps;
  let retired = false;
  const client = createDynamoDbClient({
    profile,
    // Never another identity's credentials, whoever signs in while this client lives.
    credentials: credentials.providerFor(identityId),
    // A sync under way when the user signs out sends nothing more, though the client still holds
    // this identity's credentials: a signed-out app sends no AWS request.
    guard: () => {
      if (retired) throw session.user() === undefined ? notSignedIn() : identityChanged();
    },
  });
  const engine = createSyncEngine({
    storage: deps.syncStorage,
    table: { client, tableName: profile.tableName, identityId, context: dynamoDbContextOf(profile) },
    deviceId: deps.deviceId,
    isOnline,
    now: () => platform.now(),
    log,
  });
  const stopStatus = engine.subscribe((status) => {
    for (const listener of listeners) listener(identityId, status);
  });
  const scheduler = startSyncScheduler({
    engine,
    store: deps.syncStorage,
    identityId,
    platform,
    intervalMs: deps.intervalMs,
    debounceMs: deps.debounceMs,
    log,
  });
  log.info('sync started');
  return { identityId, client, engine, scheduler, stopStatus, retire: () => void (retired = true) };
}

/** Stops it and waits until it sends nothing more; then the client is destroyed. */
export async function stopIdentitySync(current: Running, log: Logger): Promise<void> {
  current.scheduler.stop();
  current.stopStatus();
  current.engine.close();
  current.retire();
  await current.engine.idle();
  current.client.destroy();
  log.info('sync stopped');
}
