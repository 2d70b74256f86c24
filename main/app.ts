// The composition root: builds the main-process services from a Platform and a cloud profile and
// maps them onto the IPC contract's handlers. Electron-free, so Electron, the browser host and the
// tests all run the same services.
import type { CloudProfile } from '../shared/cloud-profile';
import { toAppErrorView } from '../shared/errors';
import { createAuthSession } from './auth/session';
import { createCognitoCredentials } from './aws/cognito-credentials';
import { openDatasetStore, type DatasetStore } from './datasets/dataset-store';
import { createSyncService, type SyncService } from './datasets/sync-service';
import type { EventHub } from './ipc/event-hub';
import { createRouter, type Handlers, type Router } from './ipc/router';
import { silentLogger, type Logger } from './log';
import { profileIdOf, type Platform } from './platform';
import { openSecretStore } from './secrets/open-secret-store';

export interface AppOptions {
  profile: CloudProfile;
  platform: Platform;
  hub: EventHub;
  log?: Logger;
  /** Where the IdP's logout page returns the browser (registered with the IdP). */
  logoutReturnTo?: string;
}

export interface App {
  router: Router;
  /** The profile's datasets, per identity (the next issue's commands read and write it). */
  store: DatasetStore;
  /** The signed-in user's sync: status, sync now, work offline, unsynced changes, sign-out. */
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
  const store = openDatasetStore({ profileDir: platform.profileDir, deviceId, now: () => platform.now(), log });
  // Starts syncing for the session's identity on sign-in (or restore) and stops on sign-out.
  const sync = createSyncService({ profile, platform, session, credentials, store, deviceId, log });

  const publishNotices = () => session.takeNotices().forEach((notice) => hub.emit('notice', notice));
  const unsubscribe = session.onChange((view) => {
    hub.emit('session.changed', view);
    publishNotices();
  });
  await session.restore().catch((error: unknown) => log.warn('restoring the session failed', { error }));

  publishNotices();

  const handlers: Handlers = {
    'session.get': async () => session.view(),
    'session.signIn': () => session.signIn(),
    'session.cancelSignIn': async () => session.cancelSignIn(),
    'session.signOut': async ({ removeLocalData }) => {
      await sync.signOut({ removeLocalData });
      return session.view();
    },
  };

  const router = createRouter(handlers, (error) => {
    const view = toAppErrorView(error);
    if (view.code === 'INTERNAL') log.error('a request failed', { error });
    return view;
  });
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
      await sync.stop();
      store.close();
      credentials.close();
    },
  };
}
