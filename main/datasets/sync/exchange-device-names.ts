// Device names (docs/sync-protocol.md, "Device names"), once per "sync all", on what its one Query
// read: the names the identity's other devices tell are kept here (made safe to show), and this
// device tells its own — one PutItem, only when the cloud lacks it or holds an older one.
import * as remote from '../../aws/dataset-table';
import { safeDeviceName } from '../../../shared/device-name';
import { toAppErrorView } from '../../../shared/errors';
import type { RepeatLog } from '../../platform/log';
import type { KnownDevice } from '../store/sync-storage';
import type { SyncContext } from './sync-context';

export async function exchangeDeviceNames(ctx: SyncContext, heads: remote.PartitionHeads, failures: RepeatLog): Promise<void> {
  const known: KnownDevice[] = [];
  for (const device of heads.devices) {
    const name = safeDeviceName(device.name);
    if (device.id !== ctx.deviceId && name !== undefined) known.push({ id: device.id, name, renamedAt: device.renamedAt });
  }
  ctx.storage.noteDevices(ctx.identityId, known);
  if (heads.skippedDevices > 0) ctx.log.debug('skipped items of the devices range that are not devices this app wrote', { skipped: heads.skippedDevices });

  const mine = ctx.storage.deviceName();
  if (mine === undefined || !needsTelling(mine, heads.devices.find((device) => device.id === ctx.deviceId))) return;
  try {
    await remote.putDevice(ctx.table, { id: ctx.deviceId, ...mine });
    failures.ended('device-name');
  } catch (error) {
    // A name is not worth failing the sync for: the next sync tries again.
    const { code } = toAppErrorView(error);
    failures.failed('device-name', code, 'warn', "could not tell this device's name to the cloud; the next sync tries again", { code });
  }
}

/** The cloud lacks this device's name, or holds another one told before this one was chosen. */
export function needsTelling(mine: { name: string; renamedAt: number }, told: remote.RemoteDevice | undefined): boolean {
  return told === undefined || (told.name !== mine.name && told.renamedAt < mine.renamedAt);
}
