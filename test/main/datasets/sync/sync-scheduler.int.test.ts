// The scheduler on a real engine: the timer brings what other devices committed, an idle tick is
// one request, and a stopped scheduler sends nothing more. Paced by the push hints (told here as the
// push hints tell it): every subscribe catches up at once, the safety poll alone runs while
// subscribed and the fallback timer alone while not, and a quiet subscribed hour is 12 Queries.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../../localcloud/start-local-cloud';
import { SAFETY_POLL_MS, startSyncScheduler, type SyncScheduler, type SyncSchedulerOptions } from '../../../../main/datasets/sync/sync-scheduler';
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

let running: SyncScheduler | undefined;

/** A scheduler for `here`, stopped after the test; the sign-in sync it starts is over when it returns. */
async function schedule(options: Partial<SyncSchedulerOptions>): Promise<SyncScheduler> {
  running = startSyncScheduler({ engine: here.engine, store: here.store, identityId: here.identityId, platform: here.platform, debounceMs: 20, ...options });
  await here.engine.idle();
  cloud.resetRequestCounts();
  return running;
}

/** Header Queries `here` sent since the last reset. */
const queries = () => requestsOf(cloud.requestCounts(), here.identityId).Query ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(async () => {
  running?.stop();
  running = undefined;
  vi.useRealTimers();
  await here.engine.idle();
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

test('each subscribe catches up at once with one Query: a change no hint told arrives without any timer', async () => {
  const scheduler = await schedule({ intervalMs: 3_600_000, safetyPollMs: 3_600_000 });
  elsewhere.store.openOrCreate(elsewhere.identityId, 'missed');
  elsewhere.store.put(elsewhere.identityId, 'missed', 'k', 'told by no hint');
  await elsewhere.engine.syncAll();
  await sleep(300);
  expect(here.records('missed').size).toBe(0);

  scheduler.pushChanged(true);
  await expect.poll(() => here.records('missed').get('k')).toBe('told by no hint');
  // Told again that it is subscribed, it was already: no second catch-up.
  await here.engine.idle();
  cloud.resetRequestCounts();
  scheduler.pushChanged(true);
  await sleep(300);
  expect(queries()).toBe(0);

  // Down, then subscribed again: another catch-up.
  scheduler.pushChanged(false);
  scheduler.pushChanged(true);
  await expect.poll(queries).toBe(1);
});

test('while subscribed the fallback timer stops: only the catch-up, then nothing until the safety poll', async () => {
  const scheduler = await schedule({ intervalMs: 100, safetyPollMs: 3_600_000 });
  // Not subscribed: the fallback timer runs.
  await expect.poll(queries).toBeGreaterThanOrEqual(3);
  scheduler.pushChanged(true);
  await here.engine.idle();
  cloud.resetRequestCounts();
  await sleep(800);
  expect(queries()).toBe(0);

  // Down: the fallback timer again, at its own pace.
  scheduler.pushChanged(false);
  await expect.poll(queries).toBeGreaterThanOrEqual(3);
});

test('the safety poll runs only while subscribed', async () => {
  const scheduler = await schedule({ intervalMs: 3_600_000, safetyPollMs: 100 });
  await sleep(500);
  expect(queries()).toBe(0);
  scheduler.pushChanged(true);
  // The catch-up, then the safety polls.
  await expect.poll(queries).toBeGreaterThanOrEqual(4);
  scheduler.pushChanged(false);
  await here.engine.idle();
  cloud.resetRequestCounts();
  await sleep(500);
  expect(queries()).toBe(0);
});

test('at the defaults a quiet hour with push hints subscribed costs 12 requests, each a header Query', async () => {
  // Only the scheduler's timer is the test's to move; everything else (the SDK, the engine) runs for real.
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  const scheduler = await schedule({});
  scheduler.pushChanged(true);
  await here.engine.idle();
  cloud.resetRequestCounts();
  for (let elapsed = 0; elapsed < 3_600_000; elapsed += SAFETY_POLL_MS) {
    await vi.advanceTimersByTimeAsync(SAFETY_POLL_MS);
    await here.engine.idle();
  }
  expect(requestsOf(cloud.requestCounts(), here.identityId)).toEqual({ Query: 12 });
});

test('a burst of local changes is one sync; a steady stream still syncs while it goes on', async () => {
  await schedule({ intervalMs: 3_600_000, safetyPollMs: 3_600_000, debounceMs: 300 });
  here.store.openOrCreate(here.identityId, 'burst');
  await expect.poll(() => requestsOf(cloud.requestCounts(), here.identityId).TransactWriteItems ?? 0).toBe(1);
  await here.engine.idle();
  cloud.resetRequestCounts();
  for (let index = 0; index < 20; index += 1) here.store.put(here.identityId, 'burst', `k${index}`, 'v');
  await expect.poll(() => requestsOf(cloud.requestCounts(), here.identityId).TransactWriteItems ?? 0).toBe(1);
  await sleep(600);
  await here.engine.idle();
  expect(requestsOf(cloud.requestCounts(), here.identityId).TransactWriteItems).toBe(1);

  // A put every 100 ms never leaves 300 ms of quiet: without the 2 s bound it would never sync.
  cloud.resetRequestCounts();
  const started = Date.now();
  let committedAt: number | undefined;
  for (let index = 0; Date.now() - started < 3_000; index += 1) {
    here.store.put(here.identityId, 'burst', `stream${index}`, 'v');
    if (committedAt === undefined && (requestsOf(cloud.requestCounts(), here.identityId).TransactWriteItems ?? 0) > 0) committedAt = Date.now();
    await sleep(100);
  }
  // Within the stream's 3 s, where a plain debounce would still be waiting. That the sync starts
  // no later than 2 s after the first change is the scheduler's arithmetic (change-wait.test.ts);
  // a loaded machine stretches the commit after it, so the test does not time it.
  expect(committedAt, 'a commit while the stream went on').toBeDefined();
});
