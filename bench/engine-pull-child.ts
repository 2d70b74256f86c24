// The engine's first pull, alone in a child process, so its memory is the engine's: the app's own
// DynamoDB client (the SDK) and SQLite store, signed in as a demo user of the bench's local cloud.
// The parent passes the cloud and what to pull as JSON; this prints one JSON line: the pull's time,
// the peak resident memory (sampled every 5 ms, and the kernel's high-water mark), and the size of
// the SQLite file and its WAL afterwards.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LocalCloud } from '../localcloud/start-local-cloud';
import { signInCloudUser } from '../test/support/cloud-user';
import { openSyncDevice } from '../test/support/sync-device';

export interface EnginePullRequest {
  /** cloud.describe() with its users: enough to sign in. */
  cloud: Record<string, unknown>;
  user: number;
  root: string;
  profileDir: string;
  dataset: string;
  /** A small dataset pulled first, untimed: connections, credentials, JIT. */
  warmUp?: string;
}

export interface EnginePullResult {
  ms: number;
  pulled: number;
  /** Highest RSS sampled during the pull, MB. */
  rssSampledPeakMb: number;
  /** The process's RSS high-water mark (getrusage), MB: no sample can miss it. */
  rssMaxMb: number;
  /** The store's database file plus its WAL after the pull. */
  sqliteBytes: number;
}

const MB = 1024 * 1024;

async function pullOnce(request: EnginePullRequest): Promise<EnginePullResult> {
  const user = await signInCloudUser(request.cloud as unknown as LocalCloud, request.root, request.user);
  const device = await openSyncDevice(user, request.root, { profileDir: request.profileDir });
  try {
    if (request.warmUp !== undefined) await device.engine.syncDataset(request.warmUp);
    let peak = process.memoryUsage.rss();
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
    const start = performance.now();
    const synced = await device.engine.syncDataset(request.dataset);
    const ms = performance.now() - start;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage.rss());
    const size = (file: string) => {
      try {
        return statSync(file).size;
      } catch {
        return 0;
      }
    };
    return {
      ms,
      pulled: synced.pulled,
      rssSampledPeakMb: peak / MB,
      rssMaxMb: (process.resourceUsage().maxRSS * 1024) / MB,
      sqliteBytes: size(device.store.file) + size(`${device.store.file}-wal`),
    };
  } finally {
    device.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  pullOnce(JSON.parse(process.argv[2]!) as EnginePullRequest).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
}
