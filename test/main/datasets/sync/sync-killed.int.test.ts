// A process SIGKILLed in the middle of pushing 1,000 records — between a commit reaching DynamoDB
// and the SQLite transaction that would record it — loses nothing: after a restart, one sync
// converges, and another device gets all 1,000 records.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../../localcloud/start-local-cloud';
import { openDatasetStore } from '../../../../main/datasets/store/dataset-store';
import { profileIdOf } from '../../../../main/platform/platform';
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
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'push-then-wait.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      PUSH_CHILD: JSON.stringify({ profileDir, profile: probe.profile, idToken: user.idToken, issuer: cloud.issuer, sub: user.sub, dataset }),
    },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Killed as the fourth of eleven commits is forwarded to DynamoDB: it lands, its reply never arrives.
  await expect
    .poll(() => requestsOf(cloud.requestCounts(), identityId).TransactWriteItems ?? 0, { timeout: 60_000, interval: 5 })
    .toBeGreaterThanOrEqual(4);
  child.kill('SIGKILL');
  await exited;
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
