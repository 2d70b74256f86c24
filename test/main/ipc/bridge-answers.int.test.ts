// Bridge answers that say what happened (issue 16), on two composed apps (createApp) — two devices of
// one user, each its own profile dir — against the local cloud, every step a command through the
// router both hosts put behind their transports: "sync now" tells per dataset what it pulled and
// pushed; a write says whether it changed anything and when; "pending" means one thing in every
// answer; a device reads its own ID and name, and a name chosen on A is what B shows after a sync, in
// conflicts and in "last modified by" — while a name the user cannot give, or one a hostile writer put
// in the cloud, never reaches the screen as it was.
//
// Sync runs only when a test asks (its timer and debounce are an hour), so each answer is that sync's.
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../localcloud/start-local-cloud';
import { createApp, type App } from '../../../main/app';
import { deviceSortKey, PARTITION_KEY, SORT_KEY } from '../../../main/aws/table-schema';
import { createEventHub } from '../../../main/ipc/event-hub';
import { profileIdOf } from '../../../main/platform/platform';
import { DEVICE_NAME_MAX_CHARS, safeDeviceName } from '../../../shared/device-name';
import type { CommandInput, CommandName, CommandOutput, DatasetSyncReport } from '../../../shared/ipc-contract';
import { signInCloudUser } from '../../support/cloud-user';
import { openSyncDevice, requestsOf, type CloudUser, type SyncDevice } from '../../support/sync-device';
import { launchSystemBrowser, logInAndReturn, testPlatform, type TestPlatform } from '../../support/system-browser';
import { profileFor } from '../../support/test-app';

const AN_HOUR = 3_600_000;
/** What no name shown may hold: controls, line separators, bidi embeddings, overrides, isolates and marks. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

interface Device {
  app: App;
  platform: TestPlatform;
  id: string;
  /** Every event the device's hub sent, by name. */
  events: string[];
}

let root: string;
let cloud: LocalCloud;
let browser: Browser;
let a: Device;
let b: Device;
const others: SyncDevice[] = [];
let user: CloudUser;

async function openDevice(name: string): Promise<Device> {
  const profileDir = join(root, name);
  const platform = testPlatform(profileDir);
  platform.onOpen = async (url) => {
    if (new URL(url).searchParams.has('redirect_uri')) await logInAndReturn(browser, url, cloud.users[0]!);
  };
  const hub = createEventHub();
  const events: string[] = [];
  hub.subscribe((event) => void events.push(event));
  const app = await createApp({ profile: profileFor(cloud), platform, hub, syncTiming: { intervalMs: AN_HOUR, debounceMs: AN_HOUR } });
  return { app, platform, id: profileIdOf(profileDir), events };
}

/** A command through the bridge that must succeed; its value. */
async function ok<C extends CommandName>(device: Device, command: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
  const result = await device.app.router.dispatch(command, input);
  if (!result.ok) throw new Error(`${command} failed: ${result.error.code}: ${result.error.message}`);
  return result.value as CommandOutput<C>;
}

async function signIn(device: Device): Promise<void> {
  expect(await ok(device, 'session.signIn', {})).toMatchObject({ state: 'signedIn' });
  await device.platform.browserSettled();
  // The sync that sign-in starts is over before the tests count what a sync did.
  await ok(device, 'sync.now', {});
}

/** "Sync now" that must succeed; its per-dataset answer by name. */
async function syncNow(device: Device, dataset?: string): Promise<Map<string, DatasetSyncReport>> {
  const answer = await ok(device, 'sync.now', dataset === undefined ? {} : { dataset });
  expect(answer.report.error).toBeUndefined();
  expect(answer.report.datasets.filter((each) => each.error !== undefined)).toEqual([]);
  return new Map(answer.report.datasets.map((each) => [each.name, each]));
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'bridge-answers-'));
  [cloud, browser] = await Promise.all([startLocalCloud({ inMemory: true }), launchSystemBrowser()]);
  a = await openDevice('device-a');
  b = await openDevice('device-b');
  user = await signInCloudUser(cloud, root, 0);
});

afterAll(async () => {
  await a?.app.stop();
  await b?.app.stop();
  for (const other of others) other.close();
  await browser?.close();
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('a device reads its own ID and name', () => {
  test('signed out or in, device.get answers the profile ID and the computer’s name, until the user renames it', async () => {
    const computer = safeDeviceName(hostname()) ?? null;
    expect(await ok(a, 'device.get', {})).toEqual({ id: a.id, name: computer, defaultName: computer, renamedAt: null });
    await signIn(a);
    await signIn(b);
    expect(await ok(b, 'device.get', {})).toEqual({ id: b.id, name: computer, defaultName: computer, renamedAt: null });
    expect(a.id).not.toBe(b.id);
  });
});

describe('sync.now says what it did per dataset', () => {
  test('pushed on the device that wrote, pulled on the other, and left alone once both are in step', async () => {
    await ok(a, 'datasets.openOrCreate', { dataset: 'alpha' });
    await ok(a, 'datasets.openOrCreate', { dataset: 'beta' });
    await ok(a, 'records.put', { dataset: 'alpha', key: 'one', value: '1' });
    await ok(a, 'records.put', { dataset: 'alpha', key: 'two', value: '2' });
    await ok(a, 'records.put', { dataset: 'beta', key: 'one', value: 'b1' });

    const pushed = await syncNow(a);
    expect(pushed.get('alpha')).toEqual({ name: 'alpha', visited: true, pulled: 0, pushed: 2, conflicts: 0, skipped: 0 });
    expect(pushed.get('beta')).toEqual({ name: 'beta', visited: true, pulled: 0, pushed: 1, conflicts: 0, skipped: 0 });

    const pulled = await syncNow(b);
    expect(pulled.get('alpha')).toMatchObject({ visited: true, pulled: 2, pushed: 0, conflicts: 0 });
    expect(pulled.get('beta')).toMatchObject({ visited: true, pulled: 1, pushed: 0, conflicts: 0 });

    // Nothing moved on either side: listed, not visited, nothing done.
    const quiet = await syncNow(a);
    expect(quiet.get('alpha')).toEqual({ name: 'alpha', visited: false, pulled: 0, pushed: 0, conflicts: 0, skipped: 0 });
    expect(quiet.get('beta')).toMatchObject({ visited: false, pulled: 0, pushed: 0 });

    // One dataset asked for: that one only.
    await ok(b, 'records.put', { dataset: 'beta', key: 'two', value: 'b2' });
    expect([...(await syncNow(b, 'beta')).values()]).toEqual([{ name: 'beta', visited: true, pulled: 0, pushed: 1, conflicts: 0, skipped: 0 }]);
    expect((await syncNow(a)).get('beta')).toMatchObject({ pulled: 1, pushed: 0 });
  });

  test('offline, it answers that nothing ran and why, beside the status', async () => {
    await ok(a, 'sync.setWorkOffline', { workOffline: true });
    const answer = await ok(a, 'sync.now', {});
    expect(answer.state).toBe('offline');
    expect(answer.report).toMatchObject({ datasets: [], error: { code: 'OFFLINE' } });
    await ok(a, 'sync.setWorkOffline', { workOffline: false });
    await syncNow(a);
  });
});

describe('writes say whether anything changed, and when', () => {
  test('a put of the value the key holds and a remove of a missing key change nothing, and nothing syncs', async () => {
    const put = await ok(a, 'records.put', { dataset: 'alpha', key: 'three', value: '3' });
    expect(put).toMatchObject({ ok: true, changed: true });
    expect(put.modifiedAt).toEqual(expect.any(Number));
    expect(await ok(a, 'records.get', { dataset: 'alpha', key: 'three' })).toMatchObject({ value: '3', modifiedAt: put.modifiedAt });
    await syncNow(a);

    const pendingBefore = (await ok(a, 'sync.status', {})).pendingChanges;
    expect(await ok(a, 'records.put', { dataset: 'alpha', key: 'three', value: '3' })).toEqual({ ok: true, changed: false, modifiedAt: put.modifiedAt });
    expect(await ok(a, 'records.remove', { dataset: 'alpha', key: 'never-written' })).toEqual({ ok: true, changed: false, modifiedAt: null });
    expect((await ok(a, 'sync.status', {})).pendingChanges).toBe(pendingBefore);
    expect((await syncNow(a)).get('alpha')).toMatchObject({ visited: false, pushed: 0 });

    const removed = await ok(a, 'records.remove', { dataset: 'alpha', key: 'three' });
    expect(removed).toMatchObject({ ok: true, changed: true });
    expect(removed.modifiedAt).toBeGreaterThanOrEqual(put.modifiedAt!);
    expect(await ok(a, 'records.remove', { dataset: 'alpha', key: 'three' })).toEqual({ ok: true, changed: false, modifiedAt: null });
    expect((await syncNow(a)).get('alpha')).toMatchObject({ pushed: 1 });
  });

  test('datasets: open an existing one or set its policy again and nothing changes; a delete says when', async () => {
    expect(await ok(a, 'datasets.openOrCreate', { dataset: 'alpha' })).toMatchObject({ name: 'alpha', created: false });
    expect(await ok(a, 'datasets.openOrCreate', { dataset: 'gamma' })).toMatchObject({ name: 'gamma', created: true });
    expect(await ok(a, 'datasets.setPolicy', { dataset: 'gamma', policy: 'manual' })).toMatchObject({ policy: 'manual', changed: false });
    expect(await ok(a, 'datasets.setPolicy', { dataset: 'gamma', policy: 'remote' })).toMatchObject({ policy: 'remote', changed: true });
    const deleted = await ok(a, 'datasets.delete', { dataset: 'gamma' });
    expect(deleted).toMatchObject({ ok: true, changed: true });
    expect(deleted.modifiedAt).toEqual(expect.any(Number));
    await syncNow(a);
  });
});

describe('a device renamed on A shows its new name on B after a sync', () => {
  test('in a conflict and in "last modified by"; pending leaves the conflict out, unsynced counts it', async () => {
    const computer = safeDeviceName(hostname())!;
    const identityId = await a.app.sync.identityId();
    await syncNow(b);
    // B changes the key (and syncs only when asked) while A changes it in the cloud, under a new name.
    await ok(b, 'records.put', { dataset: 'alpha', key: 'one', value: 'from B' });
    await ok(b, 'records.put', { dataset: 'alpha', key: 'mine-only', value: 'not yet pushed' });
    await ok(a, 'records.put', { dataset: 'alpha', key: 'one', value: 'from A' });
    const renamed = await ok(a, 'device.rename', { name: '  Alice’s laptop ' });
    expect(renamed).toMatchObject({ id: a.id, name: 'Alice’s laptop', defaultName: computer, changed: true });
    expect(renamed.renamedAt).toEqual(expect.any(Number));
    expect(await ok(a, 'device.rename', { name: 'Alice’s laptop' })).toMatchObject({ name: 'Alice’s laptop', changed: false });
    expect(a.events).toContain('devices.changed');
    await syncNow(a);

    b.events.length = 0;
    expect((await syncNow(b)).get('alpha')).toMatchObject({ pulled: 0, pushed: 1, conflicts: 1 });
    expect(b.events).toContain('devices.changed');

    const [conflict] = await ok(b, 'conflicts.list', { dataset: 'alpha' });
    expect(conflict).toMatchObject({
      key: 'one',
      mine: { value: 'from B', modifiedBy: `${computer} (this device)`, device: { id: b.id, name: computer, named: true, thisDevice: true } },
      theirs: { value: 'from A', modifiedBy: 'Alice’s laptop', device: { id: a.id, name: 'Alice’s laptop', named: true, thisDevice: false } },
    });
    expect(await ok(b, 'records.get', { dataset: 'alpha', key: 'two' })).toMatchObject({
      modifiedBy: 'Alice’s laptop',
      device: { id: a.id, name: 'Alice’s laptop', named: true, thisDevice: false },
    });
    const rows = new Map((await ok(b, 'records.list', { dataset: 'alpha' })).records.map((row) => [row.key, row.modifiedBy]));
    expect(rows.get('two')).toBe('Alice’s laptop');
    expect(rows.get('mine-only')).toBe(`${computer} (this device)`);

    // "Pending" is what the next sync sends: the conflicted key waits for the user, not for a sync.
    const status = await ok(b, 'sync.status', {});
    const unsynced = await ok(b, 'session.unsyncedChanges', {});
    expect(status).toMatchObject({ pendingChanges: 0, conflicts: 1 });
    expect(unsynced).toMatchObject({ total: 1, pending: 0, conflicts: 1, datasets: [{ name: 'alpha', changes: 1, pending: 0, conflicts: 1, deleted: false }] });
    expect(await ok(b, 'datasets.get', { dataset: 'alpha' })).toMatchObject({ pendingChanges: 0, conflicts: 1 });

    // Renamed again: the open conflict, read again after B's next sync, names A by its newest name.
    await syncNow(a);
    await ok(a, 'device.rename', { name: 'Work laptop' });
    cloud.resetRequestCounts();
    await syncNow(a);
    // The name is one PutItem with the sync's one Query; the next sync that finds nothing is one request.
    expect(requestsOf(cloud.requestCounts(), identityId)).toEqual({ Query: 1, PutItem: 1 });
    cloud.resetRequestCounts();
    await syncNow(a);
    expect(requestsOf(cloud.requestCounts(), identityId)).toEqual({ Query: 1 });
    await syncNow(b);
    expect((await ok(b, 'conflicts.list', { dataset: 'alpha' }))[0]?.theirs).toMatchObject({ modifiedBy: 'Work laptop' });

    expect(await ok(b, 'conflicts.resolve', { dataset: 'alpha', key: 'one', resolution: { keep: 'mine' } })).toMatchObject({ ok: true, changed: true });
    const afterResolve = await ok(b, 'session.unsyncedChanges', {});
    expect(afterResolve).toMatchObject({ total: 1, pending: 1, conflicts: 0 });
    expect((await ok(b, 'sync.status', {})).pendingChanges).toBe(afterResolve.pending);
    expect((await syncNow(b)).get('alpha')).toMatchObject({ pushed: 1 });
  });
});

describe('hostile names', () => {
  test('a name the user cannot give is refused with a sentence, and the name stays', async () => {
    const before = await ok(b, 'device.get', {});
    for (const name of ['', '   ', '\u200b', 'right\u202Eto-left', 'two\nlines', 'tab\there', 'nul\u0000', 'x'.repeat(DEVICE_NAME_MAX_CHARS + 1)]) {
      const result = await b.app.router.dispatch('device.rename', { name });
      expect(result, JSON.stringify(name)).toMatchObject({ ok: false, error: { code: 'LIMIT_DEVICE_NAME' } });
      if (!result.ok) expect(result.error.message.length).toBeGreaterThan(20);
    }
    for (const input of [{ name: 'x'.repeat(1025) }, { name: 42 }, { name: 'fine', id: 'someone-else' }, {}]) {
      expect(await b.app.router.dispatch('device.rename', input)).toMatchObject({ ok: false, error: { code: 'IPC_BAD_INPUT' } });
    }
    expect(await ok(b, 'device.get', {})).toEqual(before);
    // Right-to-left letters are a name like any other.
    expect(await ok(b, 'device.rename', { name: 'מחשב העבודה' })).toMatchObject({ name: 'מחשב העבודה', changed: true });
  });

  test('names another writer put in the cloud are shown without controls, cut to size, or not at all', async () => {
    const writers = [];
    for (let index = 0; index < 3; index += 1) {
      const writer = await openSyncDevice(user, root);
      others.push(writer);
      writers.push(writer);
    }
    const [cut, onlyControls, oversized] = writers as [SyncDevice, SyncDevice, SyncDevice];
    const told = async (writer: SyncDevice, name: Record<string, unknown>) =>
      writer.client.send(
        new PutItemCommand({
          TableName: writer.table.tableName,
          Item: { [PARTITION_KEY]: { S: writer.identityId }, [SORT_KEY]: { S: deviceSortKey(writer.deviceId) }, name: name as never, renamedAt: { N: '1' } },
        }),
      );
    await told(cut, { S: `\u202Eevil\u0000 name\n${'x'.repeat(300)}\u2066` });
    await told(onlyControls, { S: '\u202E\u2066\u0007\u200F' });
    await told(oversized, { S: 'y'.repeat(5000) });
    for (const [index, writer] of writers.entries()) {
      await writer.engine.syncAll();
      writer.store.put(writer.identityId, 'alpha', `from-writer-${index}`, 'v');
      await writer.engine.syncAll();
    }

    expect((await syncNow(b)).get('alpha')).toMatchObject({ pulled: 3 });
    const rows = new Map((await ok(b, 'records.list', { dataset: 'alpha' })).records.map((row) => [row.key, row.modifiedBy ?? '']));
    const shown = [rows.get('from-writer-0')!, rows.get('from-writer-1')!, rows.get('from-writer-2')!];
    for (const name of shown) {
      expect(name).not.toMatch(UNSAFE);
      expect(Array.from(name).length).toBeLessThanOrEqual(DEVICE_NAME_MAX_CHARS);
    }
    expect(shown[0]).toMatch(/^evil name x+…$/);
    expect(Array.from(shown[0]!).length).toBe(DEVICE_NAME_MAX_CHARS);
    expect(shown[1]).toBe(`another device (${onlyControls.deviceId.slice(0, 8)})`);
    expect(shown[2]).toBe(`another device (${oversized.deviceId.slice(0, 8)})`);
    expect(await ok(b, 'records.get', { dataset: 'alpha', key: 'from-writer-1' })).toMatchObject({ device: { id: onlyControls.deviceId, named: false } });
    // The hostile items broke nothing: the sync is clean, and A still shows its own name.
    expect((await ok(b, 'sync.status', {})).error).toBeUndefined();
    expect((await ok(b, 'records.get', { dataset: 'alpha', key: 'two' }))?.modifiedBy).toBe('Work laptop');
  });
});
