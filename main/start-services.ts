// What both hosts (Electron, the browser host) do at start: pick the cloud profile — a --cloud FILE,
// or the local cloud started in-process — pick the profile dir, and compose the app on them.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CloudProfile } from '../shared/cloud-profile';
import { createApp, type App } from './app';
import type { EventHub } from './ipc/event-hub';
import type { Logger } from './log';
import type { Platform } from './platform';

export const APP_HOME = join(homedir(), '.auth0-cognito-desktop');

export interface StartServicesOptions {
  /** The cloud to use (from a --cloud FILE); without one the local cloud is started and used. */
  profile?: CloudProfile;
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
  /** The local cloud's demo users, when the local cloud is in use (to tell the person how to sign in). */
  demoUsers?: { username: string; password: string }[];
  stop(): Promise<void>;
}

function profileName(profile: CloudProfile): string {
  return new URL(profile.issuer).host.replace(/[^A-Za-z0-9.-]/g, '_');
}

export async function startServices(options: StartServicesOptions): Promise<RunningServices> {
  let profile: CloudProfile;
  let demoUsers: RunningServices['demoUsers'];
  let stopCloud = async () => {};
  if (options.profile) {
    profile = options.profile;
  } else {
    // Loaded only when used: a build pointed at a real tenant never needs the local cloud.
    const { DEFAULT_DATA_DIR, startLocalCloud } = await import('../localcloud/start-local-cloud');
    const cloud = await startLocalCloud({ dataDir: DEFAULT_DATA_DIR });
    const { users, ...description } = cloud.describe();
    profile = description;
    demoUsers = users;
    stopCloud = () => cloud.stop();
    options.log.info('using the local cloud', { issuer: profile.issuer });
  }
  const profileDir = resolve(options.profileDir ?? join(APP_HOME, 'profiles', options.profile ? profileName(profile) : 'local'));
  const platform: Platform = {
    openExternal: options.openExternal,
    profileDir,
    isOnline: options.isOnline ?? (() => true),
    now: Date.now,
  };
  try {
    const app = await createApp({ profile, platform, hub: options.hub, log: options.log });
    return {
      app,
      profile,
      profileDir,
      demoUsers,
      stop: async () => {
        await app.stop();
        await stopCloud();
      },
    };
  } catch (error) {
    await stopCloud();
    throw error;
  }
}
