// This device's folder (README: two devices on one machine): where it is, and whether it can be one.
// Light on purpose: `npm start` checks a --profile-dir with it before it starts anything.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { isLocalCloud, type CloudProfile } from '../shared/cloud-profile';
import { AppError } from '../shared/errors';
import { folderProblem } from './platform/private-folder';

export const APP_HOME = join(homedir(), '.auth0-cognito-desktop');

/** One folder per cloud: the issuer's host, or `local` for the local cloud (a loopback issuer). */
function profileName(profile: CloudProfile): string {
  return isLocalCloud(profile) ? 'local' : new URL(profile.issuer).hostname.replace(/[^A-Za-z0-9.-]/g, '_');
}

/** This device's folder: the one given, or one per cloud under APP_HOME/profiles. */
export function resolveProfileDir(options: { profile: CloudProfile; profileDir?: string }): string {
  return resolve(options.profileDir ?? join(APP_HOME, 'profiles', profileName(options.profile)));
}

/** Refuses a profile dir that cannot be a folder (a file in its place or on its path), saying what to do. */
export function checkProfileDir(profileDir: string): void {
  const problem = folderProblem(profileDir);
  if (problem === undefined) return;
  throw new AppError(
    'PROFILE_DIR_UNUSABLE',
    `The profile dir ${problem}. Give --profile-dir a folder (it is created when missing), or move that file away.`,
  );
}
