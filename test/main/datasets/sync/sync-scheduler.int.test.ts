// The scheduler on a real engine: the timer brings what other devices committed, an idle tick is
// one request, and a stopped scheduler sends nothing more.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../../localcloud/start-local-cloud';
import { startSyncScheduler } from '../../../../main/datasets/sync/sync-scheduler';
import { signInCloudUser } from '../../../support/cloud-user';
import { openSyncDevice, requestsOf, type SyncDevice } from '../../../support/sync-device';

let root: string;
let cloud: LocalCloud;
let here: SyncDevice;
let elsewhere: SyncDevice;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sync-scheduler-int-'));
  cloud = await startLocalCloud({ inMemory: true });
  const user = await signInCloudUser(cloud, root, 1);
  [here, elsewhere] = [await openSyncDevice(user, root), await openSyncDevice(user, root)];
});

afterAll(async () => {
  here?.close();
  elsewhere?.close();
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

test('on the timer a change made on another device arrives; an idle tick is one request; stopped, nothing is sent', async () => {
  const scheduler = startSyncScheduler({ engine: here.engine, store: here.store, identityId: here.identityId, platform: here.platform, intervalMs: 200, debounceMs: 20 });
  try {
    elsewhere.store.openOrCreate(elsewhere.identityId, 'ticking');
    elsewhere.store.put(elsewhere.identityId, 'ticking', 'k', 'from elsewhere');
    await elsewhere.engine.syncAll();
    await expect.poll(() => here.records('ticking').get('k')).toBe('from elsewhere');

    await here.engine.idle();
    cloud.resetRequestCounts();
    await expect.poll(() => requestsOf(cloud.requestCounts(), here.identityId).Query ?? 0).toBeGreaterThanOrEqual(1);
    await here.engine.idle();
    // Every request of an idle tick is the header Query.
    expect(Object.keys(requestsOf(cloud.requestCounts(), here.identityId))).toEqual(['Query']);
  } finally {
    scheduler.stop();
  }
  await here.engine.idle();
  cloud.resetRequestCounts();
  here.store.put(here.identityId, 'ticking', 'k', 'after stop');
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(requestsOf(cloud.requestCounts(), here.identityId)).toEqual({});
});
