// One identity's sync, from its sign-in to its sign-out: the DynamoDB client bound to that
// identity, the engine, the scheduler and, when the profile names an Events API, the push hints.
// The client goes with the sync: the SDK keeps the credentials a client got until shortly before
// they expire, so a client kept across a sign-out signed the next user's requests with the previous
// user's keys (issue 12). The push channel asks the same identity's credentials at every connect.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { syncChannelOf } from '../../../shared/sync-channel';
import { identityChanged } from '../../aws/cognito-credentials';
import { createDynamoDbClient, dynamoDbContextOf } from '../../aws/dynamodb-client';
import { createPushChannel } from '../../aws/push/events-socket';
import type { Logger } from '../../platform/log';
import { createPushHints, type PushHints } from './push-hints';
import { createSyncEngine, type EngineStatus, type SyncEngine } from './sync-engine';
import { startSyncScheduler, type SyncScheduler } from './sync-scheduler';
import type { SyncServiceOptions } from './sync-service';

export type IdentitySyncDeps = Pick<
  SyncServiceOptions,
  'profile' | 'platform' | 'session' | 'notSignedIn' | 'credentials' | 'syncStorage' | 'deviceId' | 'intervalMs' | 'safetyPollMs' | 'debounceMs'
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
  /** Undefined when the profile names no Events API: then the scheduler polls as it always did. */
  hints?: PushHints;
  /** The engine's status with the push hints' connection (`push`) beside it. */
  status(): EngineStatus;
  stopStatus: () => void;
  /** Stops opening and closing the push channel as the app goes online and offline. */
  stopFollowingOnline: () => void;
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
  // The hints need the engine to sync what they hear of, and the engine tells them what it committed.
  let hints: PushHints | undefined;
  const engine = createSyncEngine({
    storage: deps.syncStorage,
    table: { client, tableName: profile.tableName, identityId, context: dynamoDbContextOf(profile) },
    deviceId: deps.deviceId,
    isOnline,
    now: () => platform.now(),
    log,
    committed: (dataset, syncCount) => hints?.committed(dataset, syncCount),
  });
  // The engine's status, with the push hints' connection beside it (the status bar says "Live").
  const withPush = (status: EngineStatus): EngineStatus => (hints === undefined ? status : { ...status, push: hints.status() });
  let telling = true;
  const tell = (status: EngineStatus) => {
    if (!telling) return;
    for (const listener of listeners) listener(identityId, withPush(status));
  };
  const unsubscribe = engine.subscribe(tell);
  // Stopped before the hints are (stopIdentitySync): their closing is not told after the sign-out.
  const stopStatus = () => {
    telling = false;
    unsubscribe();
  };
  const scheduler = startSyncScheduler({
    engine,
    store: deps.syncStorage,
    identityId,
    platform,
    intervalMs: deps.intervalMs,
    safetyPollMs: deps.safetyPollMs,
    debounceMs: deps.debounceMs,
    log,
  });
  hints = pushHintsOf(deps, identityId, engine, scheduler, () => tell(engine.status()));
  const stopFollowingOnline = hints === undefined ? () => undefined : followOnline(deps, hints);
  log.info('sync started', { pushHints: hints !== undefined });
  return { identityId, client, engine, scheduler, hints, status: () => withPush(engine.status()), stopStatus, stopFollowingOnline, retire: () => void (retired = true) };
}

/** The identity's push hints on the profile's Events API; undefined when it names none. */
function pushHintsOf(deps: IdentitySyncDeps, identityId: string, engine: SyncEngine, scheduler: SyncScheduler, pushChanged: () => void): PushHints | undefined {
  const { profile, credentials, log } = deps;
  const { eventsHttpEndpoint, eventsRealtimeEndpoint } = profile;
  if (eventsHttpEndpoint === undefined || eventsRealtimeEndpoint === undefined) return undefined;
  return createPushHints({
    openChannel: (callbacks) =>
      createPushChannel({
        httpEndpoint: eventsHttpEndpoint,
        realtimeEndpoint: eventsRealtimeEndpoint,
        region: profile.region,
        channel: syncChannelOf(identityId),
        // Asked again at every connect and publish: they rotate, and never become another identity's.
        credentials: credentials.providerFor(identityId),
        log,
        ...callbacks,
      }),
    identityId,
    deviceId: deps.deviceId,
    storage: deps.syncStorage,
    engine,
    onStatus: (status) => {
      scheduler.pushChanged(status === 'subscribed');
      pushChanged();
    },
    log,
  });
}

/** The channel is open exactly while the app may use the network: online, and "Work offline" off. */
function followOnline(deps: IdentitySyncDeps, hints: PushHints): () => void {
  const follow = () => (deps.isOnline() ? hints.connect() : void hints.disconnect());
  const stopStore = deps.syncStorage.subscribe((event) => {
    if (event.type === 'workOfflineChanged') follow();
  });
  const stopOnline = deps.platform.onOnlineChange?.(follow);
  follow();
  return () => {
    stopStore();
    stopOnline?.();
  };
}

/** Stops it and waits until it sends nothing more; then the client is destroyed. */
export async function stopIdentitySync(current: Running, log: Logger): Promise<void> {
  current.scheduler.stop();
  current.stopFollowingOnline();
  // First, so that nothing of this identity is told any more (the socket's closing included).
  current.stopStatus();
  // Stopped at once, so no hint starts a sync from here on; the socket closes while the engine winds down.
  const closing = current.hints?.stop();
  current.engine.close();
  current.retire();
  await closing;
  await current.engine.idle();
  current.client.destroy();
  log.info('sync stopped');
}
