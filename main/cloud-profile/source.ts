// Where a packaged app finds its cloud profile, in this order: `--cloud FILE`, the environment
// variable, a cloud-profile.json a team baked into the app's resources. Without one, the app says so
// in its window with the fix. (The local cloud is a development tool: code that ships never starts it.)
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CloudProfile } from '../../shared/cloud-profile';
import { AppError } from '../../shared/errors';
import { readCloudProfileFile } from './file';

export const CLOUD_PROFILE_ENV = 'AUTH0_COGNITO_DESKTOP_CLOUD';
export const BAKED_PROFILE_FILE = 'cloud-profile.json';

export interface CloudProfileSources {
  /** The value of --cloud, if given. */
  argument?: string;
  env: NodeJS.ProcessEnv;
  /** The packaged app's resources folder (process.resourcesPath); undefined when not packaged. */
  resourcesDir?: string;
}

export function findCloudProfile(sources: CloudProfileSources): { profile: CloudProfile; file: string } {
  const candidates: string[] = [];
  if (sources.argument !== undefined) candidates.push(resolve(sources.argument));
  else if (sources.env[CLOUD_PROFILE_ENV]) candidates.push(resolve(sources.env[CLOUD_PROFILE_ENV]));
  else if (sources.resourcesDir !== undefined && existsSync(join(sources.resourcesDir, BAKED_PROFILE_FILE))) {
    candidates.push(join(sources.resourcesDir, BAKED_PROFILE_FILE));
  }
  const file = candidates[0];
  if (file === undefined) {
    throw new AppError(
      'CLOUD_PROFILE_MISSING',
      `This app has no cloud profile, so it does not know which Auth0 tenant and AWS account to use. Start it with --cloud FILE, set ${CLOUD_PROFILE_ENV} to that file's path, or ask your team for a build with ${BAKED_PROFILE_FILE} in its resources (README: "Baking in a cloud profile").`,
    );
  }
  return { profile: readCloudProfileFile(file), file };
}
