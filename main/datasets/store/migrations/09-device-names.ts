// Schema version 9: the names of the user's other devices, per identity, as each last told it in the
// identity's partition of the table (docs/sync-protocol.md, "Device names"). A record's or a
// conflict's `last_modified_by` is a device ID; this table turns it into the name the user gave that
// device. This device's own name is a profile setting (profile_settings 'deviceName'), not a row here.
import type { Database } from 'better-sqlite3';

export function updateToSchemaVersion9(db: Database): void {
  db.exec(`
    CREATE TABLE device_names (
      identity_id TEXT NOT NULL,
      device_id TEXT NOT NULL,
      -- already made safe to show (shared/device-name.ts safeDeviceName)
      name TEXT NOT NULL,
      -- when that device was given this name, by its own clock
      renamed_at INTEGER NOT NULL,
      PRIMARY KEY (identity_id, device_id)
    ) WITHOUT ROWID;
  `);
}
