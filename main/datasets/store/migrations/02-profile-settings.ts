// Schema version 2: settings of the profile itself (not of an identity), first "work offline".
import type { Database } from 'better-sqlite3';

export function updateToSchemaVersion2(db: Database): void {
  db.exec(`
    CREATE TABLE profile_settings (
      name TEXT PRIMARY KEY NOT NULL,
      value TEXT NOT NULL
    ) WITHOUT ROWID;
  `);
}
