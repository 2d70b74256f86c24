// The bridge's device commands (this device's ID and name, renaming it), and how a record or a
// conflict names the device that wrote it: by the name that device told, never by its ID alone.
import { unnamedDeviceLabel } from '../../../shared/device-name';
import type { DeviceView, ThisDeviceView } from '../../../shared/ipc-contract';
import type { DatasetStore, ThisDevice } from '../../datasets/store/dataset-store';
import type { Handlers } from '../router';

export function thisDeviceView(device: ThisDevice): ThisDeviceView {
  return { id: device.id, name: device.name, defaultName: device.defaultName ?? null, renamedAt: device.renamedAt ?? null };
}

export function deviceHandlers(store: Pick<DatasetStore, 'thisDevice' | 'renameDevice'>): Pick<Handlers, 'device.get' | 'device.rename'> {
  return {
    'device.get': async () => thisDeviceView(store.thisDevice()),
    'device.rename': async ({ name }) => {
      const { device, changed } = store.renameDevice(name);
      return { ...thisDeviceView(device), changed };
    },
  };
}

/** How a record or a conflict names the device `id`: one lookup for the IDs of an answer. */
export type DeviceNamer = (id: string) => DeviceView;

export function deviceNamer(store: Pick<DatasetStore, 'thisDevice' | 'deviceNames'>, identityId: string, ids: Iterable<string>): DeviceNamer {
  const me = store.thisDevice();
  const names = store.deviceNames(identityId, ids);
  return (id) => {
    if (id === me.id) return { id, name: me.name, named: true, thisDevice: true };
    const name = names.get(id);
    return name === undefined ? { id, name: unnamedDeviceLabel(id), named: false, thisDevice: false } : { id, name, named: true, thisDevice: false };
  };
}

/** The one line a list row or a conflict side shows: the name, and which one is this device. */
export function deviceLabel(device: DeviceView): string {
  return device.thisDevice ? `${device.name} (this device)` : device.name;
}
