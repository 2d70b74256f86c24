// Owns the sync of the signed-in user: builds the DynamoDB client, the sync engine and its scheduler
// for the session's identity ID when someone signs in (or is restored), and stops them when they
// sign out. It knows the session only as SyncSession; the composition root (main/app.ts) joins
// sign-out, stopping sync and removing an identity's data. Each identity's sync, with its own
// DynamoDB client, is identity-sync.ts.
import type { CloudProfile } from '../../../shared/cloud-profile';
import { toAppErrorView, type AppErrorView } from '../../../shared/errors';
import type { CognitoCredentials } from '../../aws/cognito-credentials';
import { silentLogger, type Logger } from '../../platform/log';
import type { Platform } from '../../platform/platform';
import type { DatasetStore, SyncStorage, UnsyncedChanges } from '../store/dataset-store';
import { startIdentitySync, stopIdentitySync, type IdentitySyncDeps, type Running } from './identity-sync';
import { emptyResult } from './sync-context';
import type { EngineStatus, SyncReport } from './sync-engine';

/**
 * What one "sync now" did: per dataset, what it pulled and pushed and any error of its own; `error`
 * when the sync as a whole could not run (OFFLINE, the header Query refused) — then nothing was visited.
 */
export type SyncOutcome = SyncReport & { error?: AppErrorView };

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
  /** The poll while push hints are not subscribed (or the profile has none); see sync-scheduler.ts. */
  intervalMs?: number;
  /** The poll while they are subscribed. */
  safetyPollMs?: number;
  debounceMs?: number;
}

export interface SyncService {
  /** The signed-in user's identity ID (from the profile dir when known, so it works offline). */
  identityId(): Promise<string>;
  /** The signed-in identity's sync status; NOT_SIGNED_IN when nobody is signed in. */
  status(): Promise<{ identityId: string; status: EngineStatus }>;
  /** Runs a sync now (one dataset, or all) and resolves when it has finished, however it ended, with what it did. */
  syncNow(dataset?: string): Promise<SyncOutcome>;
  /** The profile's "Work offline" switch: on, nothing touches the network; off, a sync runs at once. */
  setWorkOffline(workOffline: boolean): Promise<void>;
  /** Calls `listener` whenever the signed-in identity's sync status changes. */
  onStatus(listener: (identityId: string, status: EngineStatus) => void): () => void;
  /** For the sign-out dialog: what removing this device's data would lose. */
  unsyncedChanges(): Promise<UnsyncedChanges>;
  /**
   * Stops the sync under way now and waits until it sends nothing more (sign-out: before this
   * identity's data is removed). A later sign-in starts it again.
   */
  stopSyncing(): Promise<void>;
  stop(): Promise<void>;
}

export function createSyncService(options: SyncServiceOptions): SyncService {
  const { profile, platform, session, credentials, store, notSignedIn } = options;
  const log = (options.log ?? silentLogger).child('sync-service');
  const listeners = new Set<(identityId: string, status: EngineStatus) => void>();
  const isOnline = () => platform.isOnline() && !store.workOffline();
  let running: Running | undefined;
  let starting: Promise<Running | undefined> | undefined;
  // Bumped on every session change, so a start that finishes after a sign-out is thrown away.
  let epoch = 0;

  const deps: IdentitySyncDeps = { ...options, listeners, isOnline, log };
  const start = (identityId: string) => startIdentitySync(deps, identityId);

  async function stopRunning(): Promise<void> {
    const current = running;
    running = undefined;
    if (current !== undefined) await stopIdentitySync(current, log);
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
      const { identityId, status } = await signedIn();
      return { identityId, status: status() };
    },
    async syncNow(dataset) {
      const { scheduler } = await signedIn();
      try {
        return await scheduler.syncNow(dataset);
      } catch (caught) {
        const error = toAppErrorView(caught);
        log.info('sync now ended in an error', { code: error.code });
        // One dataset's own failure is that dataset's; offline, nothing ran at all.
        if (dataset !== undefined && error.code !== 'OFFLINE') return { datasets: [emptyResult(dataset, error)], unchanged: [] };
        return { datasets: [], unchanged: [], error };
      }
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
