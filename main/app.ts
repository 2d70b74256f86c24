// The composition root: builds the main-process services from a Platform and a cloud profile and
// maps them onto the IPC contract's handlers. Electron-free, so Electron, the browser host and the
// tests all run the same services.
import { hostname } from 'node:os';
import type { CloudProfile } from '../shared/cloud-profile';
import { toAppErrorView } from '../shared/errors';
import { notSignedIn } from './auth/auth-errors';
import { createAuthSession, type AuthSession, type SignOutOptions, type SignOutResult } from './auth/session';
import { createCognitoCredentials } from './aws/cognito-credentials';
import { openDatasetStore, type DatasetStore } from './datasets/store/dataset-store';
import { createImportStaging } from './datasets/store/import-staging';
import { createSyncService, type SyncService } from './datasets/sync/sync-service';
import type { EventHub } from './ipc/event-hub';
import { datasetHandlers } from './ipc/handlers/datasets';
import { deviceHandlers } from './ipc/handlers/devices';
import { sessionHandlers } from './ipc/handlers/session';
import { syncHandlers, syncStatusView } from './ipc/handlers/sync';
import { createRouter, type Handlers, type Router } from './ipc/router';
import { silentLogger, type Logger } from './platform/log';
import { profileIdOf, type Platform } from './platform/platform';
import { openSecretStore } from './platform/keychain/open-secret-store';

export interface AppOptions {
  profile: CloudProfile;
  platform: Platform;
  hub: EventHub;
  log?: Logger;
  /** Where the IdP's logout page returns the browser (registered with the IdP). */
  logoutReturnTo?: string;
  /**
   * How often sync runs by itself (while push hints are not subscribed, and while they are) and how long
   * after a change (tests lengthen them, so only their "sync now" runs).
   */
  syncTiming?: { intervalMs?: number; safetyPollMs?: number; debounceMs?: number };
}

export interface App {
  router: Router;
  /** The profile's datasets, per identity (the next issue's commands read and write it). */
  store: DatasetStore;
  /** The signed-in user's sync: status, sync now, work offline, unsynced changes. */
  sync: SyncService;
  stop(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { profile, platform, hub } = options;
  const log = options.log ?? silentLogger;
  const secrets = await openSecretStore({ profileDir: platform.profileDir, log });

  // The session asks the credentials to admit a new sign-in (a token Cognito refuses is never
  // kept), and the credentials draw ID tokens from the session: the first reference is late-bound.
  const session = createAuthSession({
    profile,
    platform,
    secrets,
    log,
    logoutReturnTo: options.logoutReturnTo,
    admit: (user, idToken) => credentials.admit(user, idToken),
  });
  const credentials = createCognitoCredentials({ profile, platform, log, session });
  // One device ID for the store's writes and the engine's commits: the profile's own ID.
  const deviceId = profileIdOf(platform.profileDir);
  // The device goes by the computer's name until the user renames it (device.rename).
  const store = openDatasetStore({ profileDir: platform.profileDir, deviceId, defaultDeviceName: hostname(), now: () => platform.now(), log });
  // Starts syncing for the session's identity on sign-in (or restore) and stops on sign-out.
  const sync = createSyncService({
    profile,
    platform,
    session,
    notSignedIn,
    credentials,
    store,
    syncStorage: store.syncStorage,
    deviceId,
    log,
    ...options.syncTiming,
  });

  const publishNotices = () => session.takeNotices().forEach((notice) => hub.emit('notice', notice));
  const unsubscribe = session.onChange((view) => {
    hub.emit('session.changed', view);
    publishNotices();
  });
  await session.restore().catch((error: unknown) => log.warn('restoring the session failed', { error }));

  publishNotices();

  // The renderer hears of changes to the signed-in user's data, whichever device made them.
  const signedInIdentity = () => (session.view().state === 'signedIn' ? sync.identityId().catch(() => undefined) : Promise.resolve(undefined));
  const stopStoreEvents = store.subscribe((event) => {
    if (event.type === 'workOfflineChanged') return;
    if (event.type === 'deviceRenamed') return hub.emit('devices.changed', {});
    void signedInIdentity().then((identityId) => {
      if (identityId !== event.identityId) return;
      if (event.type === 'datasetsChanged') hub.emit('datasets.changed', {});
      else if (event.type === 'recordsChanged') hub.emit('records.changed', { dataset: event.dataset, origin: event.origin });
      else if (event.type === 'devicesChanged') hub.emit('devices.changed', {});
      else hub.emit('conflicts.changed', { dataset: event.dataset });
    });
  });
  // The engine tells its status after syncs and after local writes alike ("N changes pending").
  const stopStatusEvents = sync.onStatus((identityId, status) => hub.emit('sync.status', syncStatusView(store, identityId, status)));

  // Imports staged for the commit are dropped whenever the signed-in user changes (a sign-out, with
  // or without removing this device's data, or another account): none commits after a new sign-in.
  const imports = createImportStaging();
  const userOf = () => {
    const user = session.user();
    return user === undefined ? undefined : JSON.stringify([user.issuer, user.sub]);
  };
  let importsUser = userOf();
  const stopImportDrops = session.onChange(() => {
    if (userOf() === importsUser) return;
    importsUser = userOf();
    imports.dropAll();
  });

  const handlers: Handlers = {
    ...sessionHandlers(session, profile, (options) => signOut({ session, sync, store }, options)),
    ...datasetHandlers({ store, identityId: () => sync.identityId(), imports }),
    ...syncHandlers(store, sync),
    ...deviceHandlers(store),
  };

  const router = createRouter(
    handlers,
    (error) => {
      const view = toAppErrorView(error);
      if (view.code === 'INTERNAL') log.error('a request failed', { error });
      return view;
    },
    // The contract's SIGNED_IN_COMMANDS are refused before their handler runs while nobody is.
    () => session.user() !== undefined,
  );
  return {
    store,
    sync,
    // A keychain failure during any command (e.g. while signing out) is told right after it.
    router: {
      dispatch: async (command, input) => {
        try {
          return await router.dispatch(command, input);
        } finally {
          publishNotices();
        }
      },
    },
    stop: async () => {
      unsubscribe();
      stopImportDrops();
      imports.dropAll();
      stopStoreEvents();
      stopStatusEvents();
      await sync.stop();
      store.close();
      credentials.close();
    },
  };
}

/**
 * Sign-out as the user chose it: who leaves is read first (afterwards no one is signed in to ask),
 * then the session signs out, then that identity's sync stops and sends nothing more, and only then
 * — with "remove this device's data" — its datasets leave this device, so no sync under way can
 * write them back.
 */
export async function signOut(
  parts: { session: Pick<AuthSession, 'signOut'>; sync: Pick<SyncService, 'identityId' | 'stopSyncing'>; store: Pick<DatasetStore, 'removeIdentityData'> },
  options: SignOutOptions,
): Promise<SignOutResult> {
  const leaving = await parts.sync.identityId().catch(() => undefined);
  const result = await parts.session.signOut(options);
  await parts.sync.stopSyncing();
  if (result.removeLocalData && leaving !== undefined) parts.store.removeIdentityData(leaving);
  return result;
}
