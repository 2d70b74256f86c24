// Device names (docs/sync-protocol.md, "Device names"): this device's own, a profile setting the user
// can change (the computer's name until they do), and those the identity's other devices told in the
// cloud, kept per identity so that a record's or a conflict's device ID can be shown as a name.
import { AppError } from '../../../shared/errors';
import { deviceNameProblem, safeDeviceName } from '../../../shared/device-name';
import type { ReadContext, StoreContext } from './store-context';

/** What the store calls this device when the host gave no computer name and the user chose none. */
export const FALLBACK_DEVICE_NAME = 'This computer';

export interface ThisDevice {
  id: string;
  /** The name the user chose, else the computer's name (made safe to show), else FALLBACK_DEVICE_NAME. */
  name: string;
  /** The computer's name, made safe to show; undefined when the host gave none. */
  defaultName: string | undefined;
  /** When the user last renamed it (this device's clock); undefined while it goes by its default name. */
  renamedAt: number | undefined;
}

/** Another device of the identity, as it told its name in the cloud (already made safe to show). */
export interface KnownDevice {
  id: string;
  name: string;
  renamedAt: number;
}

const NAME_SETTING = 'deviceName';
const RENAMED_AT_SETTING = 'deviceRenamedAt';

function setting(ctx: ReadContext, name: string): string | undefined {
  return (ctx.read('SELECT value FROM profile_settings WHERE name = ?').get(name) as { value: string } | undefined)?.value;
}

export function thisDevice(ctx: ReadContext, defaultName: string | undefined): ThisDevice {
  const chosen = setting(ctx, NAME_SETTING);
  const renamedAt = Number(setting(ctx, RENAMED_AT_SETTING));
  const computer = defaultName === undefined ? undefined : safeDeviceName(defaultName);
  return {
    id: ctx.deviceId,
    name: chosen ?? computer ?? FALLBACK_DEVICE_NAME,
    defaultName: computer,
    renamedAt: chosen !== undefined && Number.isSafeInteger(renamedAt) ? renamedAt : undefined,
  };
}

/**
 * The name this device tells the cloud, and since when: the chosen one, or the computer's name
 * (renamed at 0, so any name the user chooses later wins). Undefined when there is neither.
 */
export function publishedName(ctx: ReadContext, defaultName: string | undefined): { name: string; renamedAt: number } | undefined {
  const device = thisDevice(ctx, defaultName);
  if (device.renamedAt !== undefined) return { name: device.name, renamedAt: device.renamedAt };
  return device.defaultName === undefined ? undefined : { name: device.defaultName, renamedAt: 0 };
}

/** LIMIT_DEVICE_NAME with a sentence when the name cannot be used; unchanged names write nothing. */
export function renameThisDevice(ctx: StoreContext, name: string, defaultName: string | undefined): { device: ThisDevice; changed: boolean } {
  const problem = deviceNameProblem(name);
  if (problem !== undefined) throw new AppError('LIMIT_DEVICE_NAME', problem);
  const wanted = name.trim();
  const changed = ctx.db
    .transaction(() => {
      const current = thisDevice(ctx, defaultName);
      if (current.name === wanted && current.renamedAt !== undefined) return false;
      // Later than any name told before, even when the clock went back: the cloud keeps the latest.
      const renamedAt = Math.max(ctx.now(), (current.renamedAt ?? 0) + 1);
      const write = ctx.sql('INSERT INTO profile_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value');
      write.run(NAME_SETTING, wanted);
      write.run(RENAMED_AT_SETTING, String(renamedAt));
      return current.name !== wanted;
    })
    .immediate();
  const device = thisDevice(ctx, defaultName);
  if (changed) ctx.emit({ type: 'deviceRenamed', name: device.name });
  return { device, changed };
}

/** The names the identity's other devices told, for the IDs asked (those never told are left out). */
export function deviceNames(ctx: ReadContext, identityId: string, deviceIds: Iterable<string>): Map<string, string> {
  const names = new Map<string, string>();
  const statement = ctx.read('SELECT name FROM device_names WHERE identity_id = ? AND device_id = ?');
  for (const id of new Set(deviceIds)) {
    const row = statement.get(identityId, id) as { name: string } | undefined;
    if (row !== undefined) names.set(id, row.name);
  }
  return names;
}

/** What the cloud holds now; returns whether any name here changed (then `devicesChanged` is told). */
export function noteDevices(ctx: StoreContext, identityId: string, devices: readonly KnownDevice[]): boolean {
  // Every sync reads the names; almost always they are the ones held, and nothing is written.
  const held = ctx.read('SELECT name, renamed_at FROM device_names WHERE identity_id = ? AND device_id = ?');
  const fresh = devices.filter((device) => {
    if (device.id === ctx.deviceId) return false;
    const row = held.get(identityId, device.id) as { name: string; renamed_at: number } | undefined;
    return row === undefined || row.name !== device.name || row.renamed_at !== device.renamedAt;
  });
  if (fresh.length === 0) return false;
  const changed = ctx.db
    .transaction(() => {
      let count = 0;
      for (const device of fresh) {
        const result = ctx
          .sql(
            `INSERT INTO device_names (identity_id, device_id, name, renamed_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (identity_id, device_id) DO UPDATE SET name = excluded.name, renamed_at = excluded.renamed_at
             WHERE name IS NOT excluded.name OR renamed_at IS NOT excluded.renamed_at`,
          )
          .run(identityId, device.id, device.name, device.renamedAt);
        count += result.changes;
      }
      return count > 0;
    })
    .immediate();
  if (changed) ctx.emit({ type: 'devicesChanged', identityId });
  return changed;
}
