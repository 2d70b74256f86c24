// Push hints over the real transport (main/aws/push/events-socket.ts) and the local cloud's AppSync
// Events stand-in, between devices of one user, each with its engine and scheduler wired as
// identity-sync.ts wires them: a commit reaches the others in well under a second and costs them
// only that dataset's read; hints lost at random or a socket that goes quiet are made up by the
// catch-up at each resubscribe and by the fallback poll — every device ends with every change.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../../localcloud/start-local-cloud';
import { createPushChannel } from '../../../../main/aws/push/events-socket';
import { createPushHints, type PushHints, type PushStatus } from '../../../../main/datasets/sync/push-hints';
import { startSyncScheduler, type SyncScheduler } from '../../../../main/datasets/sync/sync-scheduler';
import { syncChannelOf } from '../../../../shared/sync-channel';
import { signInCloudUser } from '../../../support/cloud-user';
import { openSyncDevice, requestsOf, type CloudUser, type SyncDevice } from '../../../support/sync-device';

const AN_HOUR = 3_600_000;

interface PushedDevice {
  device: SyncDevice;
  hints: PushHints;
  scheduler: SyncScheduler;
  statuses: PushStatus[];
  stop(): Promise<void>;
}

let root: string;
let cloud: LocalCloud;
let user: CloudUser;
const opened: PushedDevice[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'push-hints-int-'));
  // A keep-alive every 500 ms and a link held dead after 3 s without one, so a silenced socket shows
  // within seconds. Not less: a loaded machine can stall a process for half a second, and a link
  // wrongly held dead resubscribes, whose catch-up Query the request counts below would see.
  cloud = await startLocalCloud({ inMemory: true, pushKeepAlive: { keepAliveIntervalMs: 500, connectionTimeoutMs: 3_000 } });
  user = await signInCloudUser(cloud, root, 0);
});

afterEach(async () => {
  cloud.setPushFaults({});
  for (const each of opened.splice(0)) await each.stop();
});

afterAll(async () => {
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

/**
 * A device whose scheduler polls only as told (and leaves local changes to the test's commits), with
 * push hints on the stand-in; resolves once subscribed.
 */
async function openPushedDevice(timing: { intervalMs?: number; safetyPollMs?: number } = {}): Promise<PushedDevice> {
  let hints: PushHints | undefined;
  const device = await openSyncDevice(user, root, { engine: { committed: (dataset, syncCount) => hints?.committed(dataset, syncCount) } });
  const statuses: PushStatus[] = [];
  const scheduler = startSyncScheduler({
    engine: device.engine,
    store: device.store,
    identityId: device.identityId,
    platform: device.platform,
    intervalMs: timing.intervalMs ?? AN_HOUR,
    safetyPollMs: timing.safetyPollMs ?? AN_HOUR,
    debounceMs: AN_HOUR,
  });
  hints = createPushHints({
    openChannel: (callbacks) =>
      createPushChannel({
        httpEndpoint: cloud.eventsHttpEndpoint,
        realtimeEndpoint: cloud.eventsRealtimeEndpoint,
        region: cloud.region,
        channel: syncChannelOf(device.identityId),
        credentials: device.credentials.providerFor(device.identityId),
        backoff: { firstMs: 50, maxMs: 300 },
        ...callbacks,
      }),
    identityId: device.identityId,
    deviceId: device.deviceId,
    storage: device.store.syncStorage,
    engine: device.engine,
    onStatus: (status) => {
      statuses.push(status);
      scheduler.pushChanged(status === 'subscribed');
    },
  });
  hints.connect();
  const pushed: PushedDevice = {
    device,
    hints,
    scheduler,
    statuses,
    async stop() {
      scheduler.stop();
      await hints.stop();
      await device.engine.idle();
      device.close();
    },
  };
  opened.push(pushed);
  await expect.poll(() => hints.status()).toBe('subscribed');
  await device.engine.idle();
  return pushed;
}

/** Writes `value` at `key` on `writer` and commits it (the hint goes out when the commit lands). */
async function commit(writer: SyncDevice, dataset: string, key: string, value: string): Promise<void> {
  writer.store.openOrCreate(writer.identityId, dataset);
  writer.store.put(writer.identityId, dataset, key, value);
  await writer.engine.syncDataset(dataset);
}

// How fast is `npm run bench`'s (remote_change_visible_ms): here, what a hint alone brings. Every
// timer is an hour, so whatever arrives came by the hint.
test("a commit reaches the other device by its hint alone, costs it that dataset's read only, and its writer nothing more", async () => {
  const [a, b] = [await openPushedDevice(), await openPushedDevice()];
  await commit(a.device, 'fast', 'first', 'made the dataset');
  await expect.poll(() => b.device.records('fast').get('first'), { timeout: 10_000 }).toBe('made the dataset');
  await b.device.engine.idle();
  await a.device.engine.idle();

  cloud.resetRequestCounts();
  await commit(a.device, 'fast', 'second', 'told by a hint');
  await expect.poll(() => b.device.records('fast').get('second'), { timeout: 10_000, interval: 10 }).toBe('told by a hint');
  await b.device.engine.idle();
  await new Promise((resolve) => setTimeout(resolve, 300));
  // A's commit (the header GetItem and one TransactWriteItems), B's read of that header and its delta
  // pull; A syncs nothing on its own hint, and neither device polls.
  expect(requestsOf(cloud.requestCounts(), a.device.identityId)).toEqual({ GetItem: 2, TransactWriteItems: 1, Query: 1 });
  expect(a.hints.counts()).toMatchObject({ own: 2, synced: 0 });
  expect(b.hints.counts()).toMatchObject({ synced: 2, invalid: 0 });
});

test('hints lost at random and sockets dropped: each resubscribe catches up, and every device ends with every change', async () => {
  const devices = [await openPushedDevice(), await openPushedDevice(), await openPushedDevice()];
  cloud.setPushFaults({ dropRate: 0.5 });
  for (let round = 0; round < 6; round += 1) {
    for (const [index, each] of devices.entries()) await commit(each.device, 'lossy', `k${index}`, `round ${round}`);
    if (round % 2 === 1) cloud.closePushSockets();
  }
  cloud.setPushFaults({});
  // The last hints may be lost too: the socket dropped once more brings the catch-up.
  cloud.closePushSockets();
  for (const each of devices) {
    await expect.poll(() => Object.fromEntries(each.device.records('lossy')), { timeout: 10_000 }).toEqual({ k0: 'round 5', k1: 'round 5', k2: 'round 5' });
  }
  // Every device went down and came back at each drop.
  for (const each of devices) expect(each.statuses.filter((status) => status === 'subscribed').length).toBeGreaterThanOrEqual(4);
});

test('a socket whose keep-alives stop is noticed as down, and while it cannot subscribe the device polls on its fallback timer', async () => {
  const a = await openPushedDevice();
  const b = await openPushedDevice({ intervalMs: 200 });
  cloud.setPushFaults({ silenceKeepAlives: true, refuseSubscriptions: true });
  await expect.poll(() => b.hints.status(), { timeout: 10_000 }).toBe('down');
  // The hint cannot reach B: the fallback poll brings the change.
  await commit(a.device, 'quiet', 'k', 'found by polling');
  await expect.poll(() => b.device.records('quiet').get('k'), { timeout: 10_000 }).toBe('found by polling');

  cloud.setPushFaults({});
  await expect.poll(() => b.hints.status(), { timeout: 10_000 }).toBe('subscribed');
  await commit(a.device, 'quiet', 'k', 'told by a hint again');
  await expect.poll(() => b.device.records('quiet').get('k'), { timeout: 10_000 }).toBe('told by a hint again');
});
