// Push hints between two computers of one user (issue 17), on composed apps (createApp) whose cloud
// profile names the local cloud's AppSync Events stand-in, every step a command through the router
// both hosts put behind their transports. Their timers are ten minutes, so nothing polls while a test
// runs: a change made on A shows on B with no click and no tick. Then what a hint cannot do — hints
// lost, subscriptions refused, "Work offline", the machine offline, sign-out — and how the catch-up at
// each subscribe and the fallback timer make up for it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../localcloud/start-local-cloud';
import { createApp, type App } from '../../../main/app';
import { createEventHub } from '../../../main/ipc/event-hub';
import { createLogger } from '../../../main/platform/log';
import type { CommandInput, CommandName, CommandOutput, EventName, EventPayload } from '../../../shared/ipc-contract';
import { launchSystemBrowser, logInAndReturn, testPlatform, type TestPlatform } from '../../support/system-browser';
import { profileFor } from '../../support/test-app';

const TEN_MINUTES = 600_000;

interface Device {
  app: App;
  platform: TestPlatform;
  /** `records.changed` events the device's hub sent for changes that came from the cloud. */
  remoteChanges: string[];
  /** The last sync.status event the hub sent (what the status bar shows). */
  lastStatus(): EventPayload<'sync.status'> | undefined;
  logLines: string[];
}

let root: string;
let cloud: LocalCloud;
let browser: Browser;
let a: Device;
let b: Device;
let identityId: string;
const apps: App[] = [];

async function openDevice(name: string, timing: { intervalMs: number }): Promise<Device> {
  const profileDir = join(root, name);
  const platform = testPlatform(profileDir);
  platform.onOpen = async (url) => {
    if (new URL(url).searchParams.has('redirect_uri')) await logInAndReturn(browser, url, cloud.users[0]!);
  };
  const hub = createEventHub();
  const remoteChanges: string[] = [];
  let lastStatus: EventPayload<'sync.status'> | undefined;
  hub.subscribe(<E extends EventName>(event: E, payload: EventPayload<E>) => {
    const change = payload as EventPayload<'records.changed'>;
    if (event === 'records.changed' && change.origin === 'remote') remoteChanges.push(change.dataset);
    if (event === 'sync.status') lastStatus = payload as EventPayload<'sync.status'>;
  });
  const logLines: string[] = [];
  const app = await createApp({
    profile: profileFor(cloud, { eventsHttpEndpoint: cloud.eventsHttpEndpoint, eventsRealtimeEndpoint: cloud.eventsRealtimeEndpoint }),
    platform,
    hub,
    log: createLogger({ write: (line) => logLines.push(line), level: 'debug' }),
    // A local change goes up a moment after it is made, as in the app; polls would take ten minutes.
    syncTiming: { intervalMs: timing.intervalMs, safetyPollMs: TEN_MINUTES, debounceMs: 200 },
  });
  apps.push(app);
  return { app, platform, remoteChanges, lastStatus: () => lastStatus, logLines };
}

/** A command through the bridge that must succeed; its value. */
async function ok<C extends CommandName>(device: Device, command: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
  const result = await device.app.router.dispatch(command, input);
  if (!result.ok) throw new Error(`${command} failed: ${result.error.code}: ${result.error.message}`);
  return result.value as CommandOutput<C>;
}

/** How often the device's push channel has subscribed (its log says so each time). */
const subscribes = (device: Device) => device.logLines.filter((line) => line.includes('push channel subscribed')).length;
const closes = (device: Device) => device.logLines.filter((line) => line.includes('push channel stopped')).length;

async function signIn(device: Device): Promise<void> {
  const before = subscribes(device);
  expect(await ok(device, 'session.signIn', {})).toMatchObject({ state: 'signedIn' });
  await device.platform.browserSettled();
  await ok(device, 'sync.now', {});
  // vi.waitFor, not expect.poll: this runs in beforeAll too.
  await vi.waitFor(() => expect(subscribes(device)).toBeGreaterThan(before), { timeout: 5_000 });
}

/** The dataset's records as the device's records.list shows them (whole values). */
async function listed(device: Device, dataset: string): Promise<Record<string, string>> {
  const names = (await ok(device, 'datasets.list', {})).map((summary) => summary.name);
  if (!names.includes(dataset)) return {};
  return Object.fromEntries((await ok(device, 'records.list', { dataset, full: true })).records.map((row) => [row.key, row.preview]));
}

/** A put on `device` that has reached the cloud (its debounced sync committed it). */
async function putAndCommit(device: Device, dataset: string, key: string, value: string): Promise<void> {
  await ok(device, 'records.put', { dataset, key, value });
  await expect.poll(async () => (await ok(device, 'sync.status', {})).pendingChanges).toBe(0);
}

/** What the status bar says of changes from the other devices: asked, and as last told. */
async function liveUpdates(device: Device): Promise<[string | undefined, string | undefined]> {
  return [(await ok(device, 'sync.status', {})).liveUpdates, device.lastStatus()?.liveUpdates];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pushCounts = () => cloud.pushCounts()[identityId] ?? { connects: 0, subscribes: 0, publishes: 0, deliveries: 0 };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'push-two-devices-'));
  [cloud, browser] = await Promise.all([startLocalCloud({ inMemory: true }), launchSystemBrowser()]);
  a = await openDevice('device-a', { intervalMs: TEN_MINUTES });
  b = await openDevice('device-b', { intervalMs: TEN_MINUTES });
  await signIn(a);
  await signIn(b);
  identityId = await a.app.sync.identityId();
});

afterAll(async () => {
  for (const app of apps) await app.stop();
  await browser?.close();
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

test('a put on A shows on B with no click and no timer tick', async () => {
  await ok(a, 'datasets.openOrCreate', { dataset: 'shared' });
  await ok(a, 'records.put', { dataset: 'shared', key: 'hello', value: 'from A' });
  await expect.poll(() => listed(b, 'shared'), { timeout: 5_000 }).toEqual({ hello: 'from A' });
  expect(b.remoteChanges).toContain('shared');
  // The status bar says "Live" on both.
  await expect.poll(() => liveUpdates(a)).toEqual(['live', 'live']);
  await expect.poll(() => liveUpdates(b)).toEqual(['live', 'live']);

  // Again on a dataset B already has: the hint, not the dataset's appearance, brings it.
  b.remoteChanges.length = 0;
  await ok(a, 'records.put', { dataset: 'shared', key: 'hello', value: 'from A, again' });
  // Timers are ten minutes: what arrives came by the hint (how fast: remote_change_visible_ms in npm run bench).
  await expect.poll(() => b.remoteChanges.includes('shared'), { timeout: 10_000, interval: 20 }).toBe(true);
  expect(await listed(b, 'shared')).toEqual({ hello: 'from A, again' });
});

test('with every hint lost, the change reaches B by the catch-up when its socket comes back', async () => {
  cloud.setPushFaults({ dropAll: true });
  try {
    await putAndCommit(a, 'shared', 'lost', 'told by no hint');
    await sleep(1_000);
    expect((await listed(b, 'shared')).lost).toBeUndefined();
  } finally {
    cloud.setPushFaults({});
  }
  const [beforeA, beforeB] = [subscribes(a), subscribes(b)];
  cloud.closePushSockets();
  // The transport reconnects by itself; the subscribe's catch-up Query finds what no hint told.
  await expect.poll(() => subscribes(b), { timeout: 10_000 }).toBeGreaterThan(beforeB);
  await expect.poll(async () => (await listed(b, 'shared')).lost, { timeout: 5_000 }).toBe('told by no hint');
  await expect.poll(() => subscribes(a), { timeout: 10_000 }).toBeGreaterThan(beforeA);
});

test('"Work offline" on B closes its socket; switched off, B subscribes again and catches up', async () => {
  const closed = closes(b);
  await ok(b, 'sync.setWorkOffline', { workOffline: true });
  await expect.poll(() => closes(b)).toBe(closed + 1);
  // "Offline" says it all: nothing about live updates beside it.
  await expect.poll(() => liveUpdates(b)).toEqual([undefined, undefined]);
  cloud.resetPushCounts();
  await putAndCommit(a, 'shared', 'offline', 'written while B works offline');
  await expect.poll(() => pushCounts().publishes).toBe(1);
  await sleep(300);
  // Delivered to A's own socket only: B's is closed.
  expect(pushCounts()).toMatchObject({ publishes: 1, deliveries: 1 });
  expect((await listed(b, 'shared')).offline).toBeUndefined();

  const before = subscribes(b);
  await ok(b, 'sync.setWorkOffline', { workOffline: false });
  await expect.poll(() => subscribes(b), { timeout: 5_000 }).toBe(before + 1);
  await expect.poll(async () => (await listed(b, 'shared')).offline, { timeout: 5_000 }).toBe('written while B works offline');
  await expect.poll(() => liveUpdates(b)).toEqual(['live', 'live']);

  // Hints reach B again.
  cloud.resetPushCounts();
  b.remoteChanges.length = 0;
  await ok(a, 'records.put', { dataset: 'shared', key: 'offline', value: 'and after' });
  await expect.poll(async () => (await listed(b, 'shared')).offline, { timeout: 5_000 }).toBe('and after');
  expect(pushCounts()).toMatchObject({ publishes: 1, deliveries: 2 });
});

test('the machine going offline closes the socket too, and coming back opens it', async () => {
  const [closed, opened] = [closes(b), subscribes(b)];
  b.platform.setOnline(false);
  await expect.poll(() => closes(b)).toBe(closed + 1);
  await putAndCommit(a, 'shared', 'network', 'while B had no network');
  b.platform.setOnline(true);
  await expect.poll(() => subscribes(b), { timeout: 5_000 }).toBe(opened + 1);
  await expect.poll(async () => (await listed(b, 'shared')).network, { timeout: 5_000 }).toBe('while B had no network');
});

test('a device whose subscriptions are refused finds changes on its fallback timer', async () => {
  cloud.setPushFaults({ refuseSubscriptions: true });
  let c: Device | undefined;
  try {
    // A third computer, signed in while the service refuses it, with a short fallback to keep this fast.
    c = await openDevice('device-c', { intervalMs: 300 });
    expect(await ok(c, 'session.signIn', {})).toMatchObject({ state: 'signedIn' });
    await c.platform.browserSettled();
    await expect.poll(() => c!.logLines.some((line) => line.includes('push channel down'))).toBe(true);
    // Its status bar says live updates are paused; B's still says "Live".
    await expect.poll(() => liveUpdates(c!)).toEqual(['polling', 'polling']);
    expect(await liveUpdates(b)).toEqual(['live', 'live']);
    await putAndCommit(a, 'shared', 'polled', 'found by the timer');
    await expect.poll(async () => (await listed(c!, 'shared')).polled, { timeout: 5_000 }).toBe('found by the timer');
    expect(subscribes(c)).toBe(0);
    // B, subscribed before the refusals began, still hears hints.
    await expect.poll(async () => (await listed(b, 'shared')).polled, { timeout: 5_000 }).toBe('found by the timer');
  } finally {
    cloud.setPushFaults({});
    await c?.app.stop();
  }
});

test('signing out closes the socket; signing in opens it with the sync', async () => {
  const closed = closes(b);
  expect(await ok(b, 'session.signOut', { removeLocalData: false })).toMatchObject({ state: 'signedOut' });
  expect(closes(b)).toBe(closed + 1);
  cloud.resetPushCounts();
  await putAndCommit(a, 'shared', 'signed-out', 'while B was signed out');
  await expect.poll(() => pushCounts().publishes).toBe(1);
  await sleep(300);
  expect(pushCounts().deliveries).toBe(1);

  await signIn(b);
  await expect.poll(async () => (await listed(b, 'shared'))['signed-out'], { timeout: 5_000 }).toBe('while B was signed out');
});
