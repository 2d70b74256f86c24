// Test support: what a browser-host journey starts from — the local cloud in memory, its profile in
// <scratch>/cloud.json for the hosts' --cloud, and Chromium — and one stop() for all of it, the
// browser hosts started through it included.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startLocalCloud, type LocalCloud, type LocalCloudDescription } from '../../localcloud/start-local-cloud';
import { launchChromium } from './chromium';
import { startWebHostProcess, type WebHostProcess } from './web-host-process';

export interface E2eCloud {
  cloud: LocalCloud;
  browser: Browser;
  /** A temp dir of the test file's own (profile dirs, cloud files), removed by stop(). */
  scratch: string;
  /** The cloud's profile without its demo users: what a host's --cloud reads, written to `cloudFile`. */
  profile: Omit<LocalCloudDescription, 'users'>;
  cloudFile: string;
  /** `npm run start:web` on `cloudFile` (or another cloud file) with its own profile dir; stop() stops it. */
  startHost(profileDir: string, cloudFile?: string): Promise<WebHostProcess>;
  /** Stops every host started by startHost, closes the browser, stops the cloud, removes scratch. */
  stop(): Promise<void>;
}

/** `prefix` names the scratch dir (e2e-records-…), to tell whose it is when one is left behind. */
export async function startE2eCloud(prefix: string): Promise<E2eCloud> {
  const scratch = mkdtempSync(join(tmpdir(), prefix));
  const cloudFile = join(scratch, 'cloud.json');
  const hosts: WebHostProcess[] = [];
  let cloud: LocalCloud | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await Promise.all(hosts.map((host) => host.stop()));
    await browser?.close();
    await cloud?.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
  const startHost = async (profileDir: string, file = cloudFile) => {
    const host = await startWebHostProcess(['--cloud', file, '--profile-dir', profileDir]);
    hosts.push(host);
    return host;
  };
  try {
    cloud = await startLocalCloud({ inMemory: true });
    // The demo users' passwords stay with the test: the host gets a profile as a real cloud gives it.
    const { users: _users, ...profile } = cloud.describe();
    writeFileSync(cloudFile, JSON.stringify(profile));
    browser = await launchChromium();
    return { cloud, browser, scratch, profile, cloudFile, startHost, stop };
  } catch (error) {
    // The caller gets nothing to stop: what did start is stopped here.
    await stop();
    throw error;
  }
}
