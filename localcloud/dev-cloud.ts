// What the development entry points (npm start, start:web) use when no --cloud FILE is given: the
// local cloud, in its default data dir, as a cloud profile plus the demo users to sign in as.
// Shipped code never imports this (test/build checks the bundle).
import type { CloudProfile } from '../shared/cloud-profile';
import { DEFAULT_DATA_DIR, startLocalCloud } from './start-local-cloud';

export interface DevCloud {
  profile: CloudProfile;
  users: { username: string; password: string }[];
  stop(): Promise<void>;
}

export async function startDevCloud(dataDir = DEFAULT_DATA_DIR): Promise<DevCloud> {
  const cloud = await startLocalCloud({ dataDir });
  const { users, ...profile } = cloud.describe();
  return { profile, users, stop: () => cloud.stop() };
}
