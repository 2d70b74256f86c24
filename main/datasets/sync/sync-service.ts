// Owns the sync of the signed-in user: builds the DynamoDB client, the sync engine and its scheduler
// for the session's identity ID when someone signs in (or is restored), and stops them when they
// sign out. It knows the session only as SyncSession; the composition root (main/app.ts) joins
// sign-out, stopping sync and removing an identity's data.
//
// The client belongs to one identity and goes with its sync: the SDK keeps the credentials a client
// got until shortly before they expire, so a client kept across a sign-out signed the next user's
// requests with the previous user's keys, and only the IAM policy refused them (issue 12).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CloudProfile } from '../../../shared/cloud-profile';
import { identityChanged, type CognitoCredentials } from '../../aws/cognito-credentials';
import { createDynamoDbClient, dynamoDbContextOf } from '../../aws/dynamodb-client';
import { silentLogger, type Logger } from '../../platform/log';
import type { Platform } from '../../platform/platform';
import type { DatasetStore, SyncStorage, UnsyncedChanges } from '../store/dataset-store';
import { createSyncEngine, type SyncEngine, type SyncStatus } from './sync-engine';
import { startSyncScheduler, type SyncScheduler } from './sync-scheduler';

/** What sync needs of the sign-in session: who is signed in, and being told when that changes. */
export interface SyncSession {
  user(): { issuer: string; sub: string } | undefined;
  onChange(listener: () => void): () => void;
}

export interface SyncServiceOptions {
  profile: CloudProfile;
  platform: Platform;
  session: SyncSession;
  /** The error for "nobody is signed in" (NOT_SIGNED_IN, which the sign-in side words). */
  notSignedIn(): Error;
  credentials: Pick<CognitoCredentials, 'identityId' | 'providerFor'>;
  store: Pick<DatasetStore, 'workOffline' | 'setWorkOffline' | 'unsyncedChanges'>;
  /** The engine's view of the same store. */
  syncStorage: SyncStorage;
  /** This device's ID (the profile's), the same the store writes as lastModifiedBy. */
  deviceId: string;
  log?: Logger;
  intervalMs?: number;
  debounceMs?: number;
}

export interface SyncService {
  /** The signed-in user's identity ID (from the profile dir when known, so it works offline). */
  identityId(): Promise<string>;
  /** The signed-in identity's sync status; NOT_SIGNED_IN when nobody is signed in. */
  status(): Promise<{ identityId: string; status: SyncStatus }>;
  /** Runs a sync now (one dataset, or all) and resolves when it has finished, however it ended. */
  syncNow(dataset?: string): Promise<void>;
  /** The profile's "Work offline" switch: on, nothing touches the network; off, a sync runs at once. */
  setWorkOffline(workOffline: boolean): Promise<void>;
  /** Calls `listener` whenever the signed-in identity's sync status changes. */
  onStatus(listener: (identityId: string, status: SyncStatus) => void): () => void;
  /** For the sign-out dialog: what removing this device's data would lose. */
  unsyncedChanges(): Promise<UnsyncedChanges>;
  /**
   * Stops the sync under way now and waits until it sends nothing more (sign-out: before this
   * identity's data is removed). A later sign-in starts it again.
   */
  stopSyncing(): Promise<void>;
  stop(): Promise<void>;
}

interface Running {
  identityId: string;
  client: DynamoDBClient;
  engine: SyncEngine;
  scheduler: SyncScheduler;
  stopStatus: () => void;
  /** From now on the client refuses every request, retries included. */
  retire: () => void;
}

export function createSyncService(options: SyncServiceOptions): SyncService {
  const { profile, platform, session, credentials, store, notSignedIn } = options;
  const log = (options.log ?? silentLogger).child('sync-service');
  const listeners = new Set<(identityId: string, status: SyncStatus) => void>();
  const isOnline = () => platform.isOnline() && !store.workOffline();
  let running: Running | undefined;
  let starting: Promise<Running | undefined> | undefined;
  // Bumped on every session change, so a start that finishes after a sign-out is thrown away.
  let epoch = 0;

  function start(identityId: string): Running {
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
      storage: options.syncStorage,
      table: { client, tableName: profile.tableName, identityId, context: dynamoDbContextOf(profile) },
      deviceId: options.deviceId,
      isOnline,
      now: () => platform.now(),
      log,
    });
    const stopStatus = engine.subscribe((status) => {
      for (const listener of listeners) listener(identityId, status);
    });
    const scheduler = startSyncScheduler({
      engine,
      store: options.syncStorage,
      identityId,
      platform,
      intervalMs: options.intervalMs,
      debounceMs: options.debounceMs,
      log,
    });
    log.info('sync started');
    return { identityId, client, engine, scheduler, stopStatus, retire: () => void (retired = true) };
  }

  async function stopRunning(): Promise<void> {
    const current = running;
    running = undefined;
    if (current === undefined) return;
    current.scheduler.stop();
    current.stopStatus();
    current.engine.close();
    current.retire();
    await current.engine.idle();
    current.client.destroy();
    log.info('sync stopped');
  }

  function ensureRunning(): Promise<Running | undefined> {
    if (session.user() === undefined) return Promise.resolve(undefined);
    if (running !== undefined) return Promise.resolve(running);
    const started = epoch;
    starting ??= credentials
      .identityId()
      .then((identityId) => {
        if (started !== epoch || session.user() === undefined) return undefined;
        running ??= start(identityId);
        return running;
      })
      .catch((error: unknown) => {
        log.warn('could not start sync: no identity ID yet', { code: (error as { code?: string }).code });
        return undefined;
      })
      .finally(() => {
        starting = undefined;
      });
    return starting;
  }

  const userKey = () => {
    const user = session.user();
    return user === undefined ? undefined : JSON.stringify([user.issuer, user.sub]);
  };
  let currentUser = userKey();
  const stopSession = session.onChange(() => {
    // A refreshed token changes nothing; a sign-out or another user stops the old engine.
    const user = userKey();
    if (user === currentUser) return;
    currentUser = user;
    epoch += 1;
    void stopRunning().then(() => (user === undefined ? undefined : ensureRunning()));
  });
  void ensureRunning();

  async function identityId(): Promise<string> {
    if (session.user() === undefined) throw notSignedIn();
    return credentials.identityId();
  }

  async function signedIn(): Promise<Running> {
    const current = await ensureRunning();
    if (current === undefined) throw notSignedIn();
    return current;
  }

  return {
    identityId,
    async status() {
      const { identityId, engine } = await signedIn();
      return { identityId, status: engine.status() };
    },
    async syncNow(dataset) {
      const { scheduler } = await signedIn();
      await scheduler.syncNow(dataset).catch((error: unknown) => log.info('sync now ended in an error', { code: (error as { code?: string }).code }));
    },
    async setWorkOffline(workOffline) {
      store.setWorkOffline(workOffline);
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async unsyncedChanges() {
      return store.unsyncedChanges(await identityId());
    },
    stopSyncing: stopRunning,
    async stop() {
      stopSession();
      await stopRunning();
    },
  };
}
