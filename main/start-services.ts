// What both hosts (Electron, the browser host) do at start: pick the profile dir and compose the app
// on a cloud profile. Shipped code: it never starts the local cloud — the development entry points
// (npm start, start:web, tests) do that and hand its profile in.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { isLocalCloud, type CloudProfile } from '../shared/cloud-profile';
import { createApp, type App } from './app';
import type { EventHub } from './ipc/event-hub';
import type { Logger } from './platform/log';
import { onlineProbeFor, watchOnline } from './platform/online-signal';
import type { Platform } from './platform/platform';

export const APP_HOME = join(homedir(), '.auth0-cognito-desktop');

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

/** One folder per cloud: the issuer's host, or `local` for the local cloud (a loopback issuer). */
function profileName(profile: CloudProfile): string {
  return isLocalCloud(profile) ? 'local' : new URL(profile.issuer).hostname.replace(/[^A-Za-z0-9.-]/g, '_');
}

/** This device's folder: the one given, or one per cloud under APP_HOME/profiles. */
export function resolveProfileDir(options: Pick<StartServicesOptions, 'profile' | 'profileDir'>): string {
  return resolve(options.profileDir ?? join(APP_HOME, 'profiles', profileName(options.profile)));
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
