// The sync of a signed-in app instance (real session, keychain, Cognito credentials, SQLite store)
// running by itself: after sign-in, after a local change, when the network comes back, and stopped
// by sign-out (as the composition root joins them), which can remove exactly this identity's data.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../../localcloud/start-local-cloud';
import { signOut } from '../../../../main/app';
import { notSignedIn } from '../../../../main/auth/auth-errors';
import { openDatasetStore, type OpenedDatasetStore } from '../../../../main/datasets/store/dataset-store';
import { createSyncService, type SyncService } from '../../../../main/datasets/sync/sync-service';
import { profileIdOf } from '../../../../main/platform/platform';
import { signInCloudUser } from '../../../support/cloud-user';
import { openSyncDevice, remoteRecords, requestsOf, type SyncDevice } from '../../../support/sync-device';
import { launchSystemBrowser, logInAndReturn } from '../../../support/system-browser';
import { newProfileDir, profileFor, startTestApp, type TestApp } from '../../../support/test-app';

let root: string;
let cloud: LocalCloud;
let browser: Browser;
let app: TestApp;
let store: OpenedDatasetStore;
let sync: SyncService;
let other: SyncDevice;
let identityId: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sync-service-int-'));
  [cloud, browser] = await Promise.all([startLocalCloud({ inMemory: true }), launchSystemBrowser()]);
  other = await openSyncDevice(await signInCloudUser(cloud, root, 0), root);
  identityId = other.identityId;
  // Created elsewhere before this device signs in: the sign-in sync must bring it.
  other.store.openOrCreate(identityId, 'from-elsewhere');
  other.store.put(identityId, 'from-elsewhere', 'greeting', 'hello');
  await other.engine.syncAll();

  app = await startTestApp(await newProfileDir(root), profileFor(cloud));
  const deviceId = profileIdOf(app.profileDir);
  store = openDatasetStore({ profileDir: app.profileDir, deviceId });
  sync = createSyncService({
    profile: app.profile,
    platform: app.platform,
    session: app.session,
    notSignedIn,
    credentials: app.credentials,
    store,
    syncStorage: store.syncStorage,
    deviceId,
    intervalMs: 60_000,
    debounceMs: 50,
  });
  app.platform.onOpen = async (url) => void (await logInAndReturn(browser, url, cloud.users[0]!));
  await app.session.signIn();
  await app.platform.browserSettled();
});

afterAll(async () => {
  await sync?.stop();
  store?.close();
  other?.close();
  app?.close();
  await browser?.close();
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

const localValue = (dataset: string, key: string) => {
  try {
    return store.getRecord(identityId, dataset, key)?.value;
  } catch {
    return undefined;
  }
};

test('right after sign-in, the datasets made on another device arrive without asking', async () => {
  expect(await sync.identityId()).toBe(identityId);
  await expect.poll(() => localValue('from-elsewhere', 'greeting')).toBe('hello');
});

test('a local change is pushed shortly after it is made, with no "sync now"', async () => {
  store.openOrCreate(identityId, 'typed-here');
  store.put(identityId, 'typed-here', 'note', 'written on this device');
  await expect.poll(async () => (await remoteRecords(other.table, 'typed-here')).get('note')).toBe('written on this device');
  await expect.poll(async () => (await sync.status()).status.overall).toBe('synced');
});

test('offline nothing is sent and the changes wait; when the network comes back they are pushed', async () => {
  app.platform.setOnline(false);
  store.put(identityId, 'typed-here', 'offline', 'written offline');
  cloud.resetRequestCounts();
  await sync.syncNow();
  expect((await sync.status()).status).toMatchObject({ overall: 'offline', pending: 1 });
  expect(requestsOf(cloud.requestCounts(), identityId)).toEqual({});
  app.platform.setOnline(true);
  await expect.poll(async () => (await remoteRecords(other.table, 'typed-here')).get('offline')).toBe('written offline');
});

test('sign-out can say what is unsynced, and removing this device’s data removes this identity’s datasets', async () => {
  await sync.setWorkOffline(true);
  store.put(identityId, 'typed-here', 'unsynced', 'not yet sent');
  expect(await sync.unsyncedChanges()).toMatchObject({ total: 1, datasets: [{ name: 'typed-here', changes: 1 }] });
  await signOut({ session: app.session, sync, store }, { removeLocalData: true });
  expect(store.listDatasets(identityId)).toEqual([]);
  await expect(sync.status()).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
  // The records pushed before are still on the remote, for the next sign-in.
  expect((await remoteRecords(other.table, 'typed-here')).get('note')).toBe('written on this device');
  await sync.setWorkOffline(false);
});
