// A process SIGKILLed in the middle of a sync loses nothing and applies nothing twice:
//  - pushing 1,000 records, between a commit reaching DynamoDB and the SQLite transaction that would
//    record it: after a restart, one sync converges, and another device gets all 1,000 records;
//  - pulling 4,000 records for the first time, pages merged in some sub-ranges and not others: the
//    restart reads only what is left, and ends with exactly the remote's records and counters.
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../../localcloud/start-local-cloud';
import { openDatasetStore } from '../../../../main/datasets/store/dataset-store';
import { datasetsFileOf } from '../../../../main/datasets/store/open-database';
import { profileIdOf } from '../../../../main/platform/platform';
import type { CloudProfile } from '../../../../shared/cloud-profile';
import { signInCloudUser } from '../../../support/cloud-user';
import { openSyncDevice, remoteRecords, requestsOf, type CloudUser } from '../../../support/sync-device';

let root: string;
let cloud: LocalCloud;
let user: CloudUser;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sync-killed-'));
  cloud = await startLocalCloud({ inMemory: true });
  user = await signInCloudUser(cloud, root, 0);
});

afterAll(async () => {
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

test('a push of 1,000 records killed halfway is finished by the next sync, with nothing lost', async () => {
  const dataset = 'killed-push';
  const profileDir = await mkdtemp(join(root, 'device-'));
  const probe = await user.device({ profileDir });
  const identityId = probe.identityId;
  probe.close();

  const written = new Map(Array.from({ length: 1000 }, (_, index) => [`key-${String(index).padStart(4, '0')}`, `value ${index}`]));
  const before = openDatasetStore({ profileDir, deviceId: profileIdOf(profileDir) });
  before.openOrCreate(identityId, dataset);
  before.putMany(identityId, dataset, [...written].map(([key, value]) => ({ key, value })));
  before.close();

  // Slow commits, so the kill lands while the push is under way.
  cloud.setFaults({ latencyMs: 100 });
  cloud.resetRequestCounts();
  const child = startSyncChild(profileDir, probe.profile, dataset);
  // Killed as the fourth of eleven commits is forwarded to DynamoDB: it lands, its reply never arrives.
  await expect
    .poll(() => requestsOf(cloud.requestCounts(), identityId).TransactWriteItems ?? 0, { timeout: 60_000, interval: 5 })
    .toBeGreaterThanOrEqual(4);
  const output = await child.kill();
  cloud.setFaults({});
  expect(output).not.toContain('done');
  const partial = await remoteRecords(probe.table, dataset);
  expect(partial.size).toBeGreaterThan(0);
  expect(partial.size).toBeLessThan(1000);

  const restarted = await openSyncDevice(user, root, { profileDir });
  const other = await openSyncDevice(user, root);
  try {
    await restarted.engine.syncDataset(dataset);
    expect(restarted.store.getDataset(identityId, dataset)).toMatchObject({ recordCount: 1000, pendingChanges: 0 });
    expect(await remoteRecords(restarted.table, dataset)).toEqual(written);
    await other.engine.syncAll();
    expect(other.records(dataset)).toEqual(written);
    expect(restarted.records(dataset)).toEqual(written);
  } finally {
    restarted.close();
    other.close();
  }
}, 120_000);

test('a first pull of 4,000 records killed halfway resumes where it stopped, with nothing lost or applied twice', async () => {
  const dataset = 'killed-pull';
  const writer = await openSyncDevice(user, root);
  const identityId = writer.identityId;
  // ~12 MB: a dozen 1 MB pages over the pull's four sub-ranges.
  const written = new Map(Array.from({ length: 4000 }, (_, index) => [`key-${String(index).padStart(4, '0')}`, `${index} `.padEnd(3000, 'x')]));
  writer.store.openOrCreate(identityId, dataset);
  writer.store.putMany(identityId, dataset, [...written].map(([key, value]) => ({ key, value })));
  await writer.engine.syncDataset(dataset);
  writer.close();

  const profileDir = await mkdtemp(join(root, 'device-'));
  const probe = await user.device({ profileDir });
  probe.close();
  cloud.setFaults({ latencyMs: 150 });
  cloud.resetRequestCounts();
  const child = startSyncChild(profileDir, probe.profile, dataset);
  // The four sub-ranges ask for their first pages at once; a fifth Query is sent only after a page
  // was merged. Killed then, with pages of the other sub-ranges still on their way.
  await expect.poll(() => requestsOf(cloud.requestCounts(), identityId).Query ?? 0, { timeout: 60_000, interval: 5 }).toBeGreaterThanOrEqual(5);
  const output = await child.kill();
  cloud.setFaults({});
  expect(output).not.toContain('done');

  const killed = pullState(profileDir, identityId, dataset);
  expect(killed.records).toBeGreaterThan(0);
  expect(killed.records).toBeLessThan(4000);
  expect(killed.lastSyncCount).toBe(0);
  expect(killed.done).toBeGreaterThan(0);

  // A device pulling everything, for comparison: how many items a whole pull reads.
  const fresh = await openSyncDevice(user, root);
  const restarted = await openSyncDevice(user, root, { profileDir });
  try {
    cloud.resetRequestCounts();
    await fresh.engine.syncDataset(dataset);
    const wholePull = requestsOf(cloud.requestCounts(), identityId).Query ?? 0;
    cloud.resetRequestCounts();
    const result = await restarted.engine.syncDataset(dataset);
    const resumedPull = requestsOf(cloud.requestCounts(), identityId).Query ?? 0;
    expect(resumedPull).toBeLessThan(wholePull);
    // Each page's transaction committed whole or not at all: the resumed pull took exactly the rest
    // (a record of a commit a page stopped inside is read again, and skipped as already held).
    expect(result.pulled).toBe(4000 - killed.records);
    expect(restarted.records(dataset)).toEqual(written);
    expect(fresh.records(dataset)).toEqual(written);
    const after = pullState(profileDir, identityId, dataset);
    expect(after).toMatchObject({ records: 4000, liveRecords: 4000, dirtyRecords: 0, planRows: 0 });
    expect(after.lastSyncCount).toBe(fresh.store.syncStorage.syncState(identityId, dataset)?.lastSyncCount);
    expect(restarted.store.getDataset(identityId, dataset)).toMatchObject({ recordCount: 4000, pendingChanges: 0 });
  } finally {
    fresh.close();
    restarted.close();
  }
}, 180_000);

function startSyncChild(profileDir: string, profile: CloudProfile, dataset: string): { kill(): Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'sync-then-wait.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      SYNC_CHILD: JSON.stringify({ profileDir, profile, idToken: user.idToken, issuer: cloud.issuer, sub: user.sub, dataset }),
    },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    async kill() {
      child.kill('SIGKILL');
      await exited;
      return output;
    },
  };
}

/** What the killed device's file holds of `dataset`, read beside it. */
function pullState(profileDir: string, identityId: string, dataset: string) {
  const db = new Database(datasetsFileOf(profileDir), { readonly: true });
  try {
    return db
      .prepare(
        `SELECT d.last_sync_count AS lastSyncCount, d.live_records AS liveRecords, d.dirty_records AS dirtyRecords,
           (SELECT count(*) FROM records r WHERE r.identity_id = d.identity_id AND r.dataset = d.name AND r.deleted = 0) AS records,
           (SELECT count(*) FROM pull_progress p WHERE p.identity_id = d.identity_id AND p.dataset = d.name) AS planRows,
           (SELECT coalesce(sum(p.done_through - p.range_from + 1), 0) FROM pull_progress p WHERE p.identity_id = d.identity_id AND p.dataset = d.name) AS done
         FROM datasets d WHERE d.identity_id = ? AND d.name = ?`,
      )
      .get(identityId, dataset) as { lastSyncCount: number; liveRecords: number; dirtyRecords: number; records: number; planRows: number; done: number };
  } finally {
    db.close();
  }
}
