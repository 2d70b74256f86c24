// Schema version 1: datasets, records and conflicts, every row keyed by the Cognito identity ID so
// that two people signing in on one profile never see each other's data.
import type { Database } from 'better-sqlite3';

export function updateToSchemaVersion1(db: Database): void {
  db.exec(`
    CREATE TABLE datasets (
      identity_id TEXT NOT NULL,
      name TEXT NOT NULL,
      -- the header syncCount this copy has merged up to (S in docs/sync-protocol.md)
      last_sync_count INTEGER NOT NULL DEFAULT 0,
      -- the generation the local records belong to; a recreate bumps it
      generation INTEGER NOT NULL DEFAULT 0,
      -- 1 = deleted here (hidden); with header_dirty = 1 the delete is not yet pushed
      deleted INTEGER NOT NULL DEFAULT 0,
      -- 1 = the remote header must be written even with no dirty record (create, recreate, delete)
      header_dirty INTEGER NOT NULL DEFAULT 1,
      policy TEXT NOT NULL DEFAULT 'manual',
      -- source of local_version: never reused while the row exists, so a snapshot never matches a newer write
      write_seq INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      last_synced_at INTEGER,
      PRIMARY KEY (identity_id, name)
    ) WITHOUT ROWID;

    CREATE TABLE records (
      identity_id TEXT NOT NULL,
      dataset TEXT NOT NULL,
      key TEXT NOT NULL,
      value TEXT,
      deleted INTEGER NOT NULL DEFAULT 0,
      -- UTF-8 bytes of key and value, so dataset sizes are a sum, not a re-encoding
      bytes INTEGER NOT NULL,
      base_sync_count INTEGER NOT NULL DEFAULT 0,
      local_version INTEGER NOT NULL,
      dirty INTEGER NOT NULL,
      -- when this row last changed here; device_last_modified / last_modified_by: who wrote the value, when
      modified_at INTEGER NOT NULL,
      device_last_modified INTEGER NOT NULL,
      last_modified_by TEXT NOT NULL,
      PRIMARY KEY (identity_id, dataset, key)
    ) WITHOUT ROWID;

    -- the remote side of a key held under the manual policy; the local side stays in records
    CREATE TABLE conflicts (
      identity_id TEXT NOT NULL,
      dataset TEXT NOT NULL,
      key TEXT NOT NULL,
      remote_value TEXT,
      remote_deleted INTEGER NOT NULL,
      remote_sync_count INTEGER NOT NULL,
      remote_device_last_modified INTEGER NOT NULL,
      remote_last_modified_by TEXT NOT NULL,
      detected_at INTEGER NOT NULL,
      PRIMARY KEY (identity_id, dataset, key)
    ) WITHOUT ROWID;
  `);
}
