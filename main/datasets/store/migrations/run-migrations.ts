// Brings a database to the newest schema, one numbered step per transaction (Signal Desktop's
// ts/sql/migrations): a crash mid-way leaves the file at the last finished version, never between.
import type { Database } from 'better-sqlite3';
import { AppError } from '../../../../shared/errors';
import type { Logger } from '../../../platform/log';
import { updateToSchemaVersion1 } from './01-datasets-records-conflicts';
import { updateToSchemaVersion2 } from './02-profile-settings';
import { updateToSchemaVersion3 } from './03-dirty-records-index';
import { updateToSchemaVersion4 } from './04-dataset-counters';
import { updateToSchemaVersion5 } from './05-records-rowid-table';
import { updateToSchemaVersion6 } from './06-synced-generation';
import { updateToSchemaVersion7 } from './07-dirty-counter';
import { updateToSchemaVersion8 } from './08-pull-progress';
import { updateToSchemaVersion9 } from './09-device-names';

export interface Migration {
  version: number;
  migrate(db: Database): void;
}

export const SCHEMA_MIGRATIONS: readonly Migration[] = [
  { version: 1, migrate: updateToSchemaVersion1 },
  { version: 2, migrate: updateToSchemaVersion2 },
  { version: 3, migrate: updateToSchemaVersion3 },
  { version: 4, migrate: updateToSchemaVersion4 },
  { version: 5, migrate: updateToSchemaVersion5 },
  { version: 6, migrate: updateToSchemaVersion6 },
  { version: 7, migrate: updateToSchemaVersion7 },
  { version: 8, migrate: updateToSchemaVersion8 },
  { version: 9, migrate: updateToSchemaVersion9 },
];

export function schemaVersionOf(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** The file's schema version; DB_TOO_NEW if a newer app wrote it (checked before anything is written). */
export function checkNotTooNew(db: Database, migrations: readonly Migration[] = SCHEMA_MIGRATIONS): number {
  const current = schemaVersionOf(db);
  if (current > migrations.length) {
    throw new AppError(
      'DB_TOO_NEW',
      `This profile's datasets were saved by a newer version of the app (schema ${current}; this version reads up to ${migrations.length}). Update the app, or use another profile.`,
    );
  }
  return current;
}

/** Runs the steps newer than the file's `user_version`; refuses a file from a newer app with DB_TOO_NEW. */
export function runMigrations(db: Database, migrations: readonly Migration[] = SCHEMA_MIGRATIONS, log?: Logger): number {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`schema migrations must be numbered 1, 2, 3…; found ${migration.version} at ${index + 1}`);
  });
  const latest = migrations.length;
  const current = checkNotTooNew(db, migrations);
  for (const migration of migrations.slice(current)) {
    const ran = db.transaction(() => {
      // Re-read under the write lock: another process on the same profile may have run this step.
      if (schemaVersionOf(db) >= migration.version) return false;
      migration.migrate(db);
      // user_version lives in the file header, so it commits or rolls back with the step.
      db.pragma(`user_version = ${migration.version}`);
      return true;
    }).immediate();
    if (ran) log?.info('dataset store schema updated', { version: migration.version });
  }
  return latest;
}
