// What both hosts (Electron, the browser host) do at start: pick the profile dir and compose the app
// on a cloud profile. Shipped code: it never starts the local cloud — the development entry points
// (npm start, start:web, tests) do that and hand its profile in.
import type { CloudProfile } from '../shared/cloud-profile';
import { createApp, type App } from './app';
import type { EventHub } from './ipc/event-hub';
import type { Logger } from './platform/log';
import { onlineProbeFor, watchOnline } from './platform/online-signal';
import type { Platform } from './platform/platform';
import { resolveProfileDir } from './profile-dir';

export interface StartServicesOptions {
  /** The cloud to use: a --cloud FILE, a baked-in profile, or the local cloud a dev entry point started. */
  profile: CloudProfile;
  /** This device's folder (SQLite, identity cache, profile ID); two folders act as two devices. */
  profileDir?: string;
  openExternal(url: string): Promise<void>;
  isOnline?: () => boolean;
  hub: EventHub;
  log: Logger;
}

export interface RunningServices {
  app: App;
  profile: CloudProfile;
  profileDir: string;
  stop(): Promise<void>;
}

export async function startServices(options: StartServicesOptions): Promise<RunningServices> {
  const { profile } = options;
  const profileDir = resolveProfileDir(options);
  // Polled, so that the sync and the credentials hear when the network comes back.
  const online = watchOnline(options.isOnline ?? onlineProbeFor(profile));
  const platform: Platform = {
    openExternal: options.openExternal,
    profileDir,
    isOnline: online.isOnline,
    onOnlineChange: online.onOnlineChange,
    now: Date.now,
  };
  let app: App;
  try {
    app = await createApp({ profile, platform, hub: options.hub, log: options.log });
  } catch (error) {
    online.stop();
    throw error;
  }
  options.log.info('services started', { issuer: profile.issuer, profileDir });
  return {
    app,
    profile,
    profileDir,
    stop: async () => {
      online.stop();
      await app.stop();
    },
  };
}
