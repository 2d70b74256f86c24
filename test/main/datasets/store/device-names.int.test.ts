// This device's name (a profile setting: the computer's name until the user renames it) and the
// names the identity's other devices told in the cloud, kept per identity.
import { expect, test } from 'vitest';
import type { DatasetStoreEvent } from '../../../../main/datasets/store/dataset-store';
import { FALLBACK_DEVICE_NAME } from '../../../../main/datasets/store/device-names';
import { thrown } from '../../../support/app-error';
import { openTestStore, tempProfileDir, testClock } from '../../../support/dataset-store';

const ALICE = 'us-east-1:11111111-1111-4111-8111-111111111111';
const BOB = 'us-east-1:22222222-2222-4222-8222-222222222222';

test('the device goes by the computer’s name, made safe, until renamed; the cloud hears it as told at 0', () => {
  const store = openTestStore({ defaultDeviceName: 'build-box\u202E\n' });
  expect(store.thisDevice()).toEqual({ id: 'device-a', name: 'build-box', defaultName: 'build-box', renamedAt: undefined });
  expect(store.syncStorage.deviceName()).toEqual({ name: 'build-box', renamedAt: 0 });
  store.close();

  const nameless = openTestStore();
  expect(nameless.thisDevice().name).toBe(FALLBACK_DEVICE_NAME);
  // With no computer name and none chosen there is nothing to tell the cloud.
  expect(nameless.syncStorage.deviceName()).toBeUndefined();
  nameless.close();
});

test('a rename is kept across restarts, said once, and a later one is always later, even if the clock went back', () => {
  const profileDir = tempProfileDir();
  const clock = testClock(5_000);
  const store = openTestStore({ profileDir, now: clock.now, defaultDeviceName: 'box' });
  const events: DatasetStoreEvent[] = [];
  store.subscribe((event) => events.push(event));

  const first = store.renameDevice('  Work laptop ');
  expect(first).toMatchObject({ changed: true, device: { name: 'Work laptop', defaultName: 'box' } });
  expect(store.renameDevice('Work laptop').changed).toBe(false);
  expect(events).toEqual([{ type: 'deviceRenamed', name: 'Work laptop' }]);

  clock.set(1_000);
  const second = store.renameDevice('Home');
  expect(second.device.renamedAt).toBeGreaterThan(first.device.renamedAt!);
  store.close();

  const reopened = openTestStore({ profileDir, defaultDeviceName: 'box' });
  expect(reopened.thisDevice()).toMatchObject({ name: 'Home', renamedAt: second.device.renamedAt });
  expect(reopened.syncStorage.deviceName()).toEqual({ name: 'Home', renamedAt: second.device.renamedAt });
  expect(thrown(() => reopened.renameDevice('a\u202Eb')).code).toBe('LIMIT_DEVICE_NAME');
  expect(reopened.thisDevice().name).toBe('Home');
  reopened.close();
});

test('other devices’ names are kept per identity, change events only when a name changed, and go with the identity’s data', () => {
  const store = openTestStore();
  const events: DatasetStoreEvent[] = [];
  store.subscribe((event) => events.push(event));
  const told = [
    { id: 'device-b', name: 'Laptop', renamedAt: 1 },
    // This device's own item is never taken from the cloud: its name is its own setting.
    { id: 'device-a', name: 'Impostor', renamedAt: 9 },
  ];
  store.syncStorage.noteDevices(ALICE, told);
  store.syncStorage.noteDevices(ALICE, told);
  store.syncStorage.noteDevices(BOB, [{ id: 'device-b', name: 'Bob’s laptop', renamedAt: 1 }]);
  expect(events).toEqual([
    { type: 'devicesChanged', identityId: ALICE },
    { type: 'devicesChanged', identityId: BOB },
  ]);
  expect(store.deviceNames(ALICE, ['device-a', 'device-b', 'device-c'])).toEqual(new Map([['device-b', 'Laptop']]));
  expect(store.deviceNames(BOB, ['device-b'])).toEqual(new Map([['device-b', 'Bob’s laptop']]));

  store.syncStorage.noteDevices(ALICE, [{ id: 'device-b', name: 'Renamed', renamedAt: 2 }]);
  expect(store.deviceNames(ALICE, ['device-b']).get('device-b')).toBe('Renamed');

  store.removeIdentityData(ALICE);
  expect(store.deviceNames(ALICE, ['device-b']).size).toBe(0);
  expect(store.deviceNames(BOB, ['device-b']).size).toBe(1);
  store.close();
});
