// Opens the profile's one SQLite file for datasets: private to the user (0600), WAL, and FULL sync
// so that a write has reached the disk when it returns. A file SQLite cannot read is moved aside,
// never wiped: the person (or support) can still recover it.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { silentLogger, type Logger } from '../../platform/log';
import { openPrivateFolder } from '../../platform/private-folder';
import { checkNotTooNew, runMigrations, SCHEMA_MIGRATIONS, type Migration } from './migrations/run-migrations';

export const DATASETS_FILE = 'datasets.sqlite';

/** What the WAL file is truncated to after a checkpoint. */
export const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

export interface OpenDatabaseOptions {
  profileDir: string;
  log?: Logger;
  now?: () => number;
  /** Only tests and the fixture script pass a shorter list, to build files of older versions. */
  migrations?: readonly Migration[];
}

export function datasetsFileOf(profileDir: string): string {
  return join(profileDir, DATASETS_FILE);
}

export function openDatasetDatabase(options: OpenDatabaseOptions): Database.Database {
  const log = options.log ?? silentLogger;
  const now = options.now ?? Date.now;
  openPrivateFolder(options.profileDir);
  const file = datasetsFileOf(options.profileDir);
  // Created empty with mode 0600 before SQLite opens it; SQLite gives -wal and -shm the same mode.
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);

  const db = new Database(file);
  try {
    const migrations = options.migrations ?? SCHEMA_MIGRATIONS;
    // First, and before any write: a newer app's file stays exactly as that app left it.
    checkNotTooNew(db, migrations);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // Removed data (an identity's, a dataset's) is overwritten, not left in free pages.
    db.pragma('secure_delete = ON');
    // The WAL is cut back to this size whenever a checkpoint resets it: without a limit it keeps the
    // size of the largest transaction ever written (a first pull of 100,000 records: as big as the
    // data) for as long as the file is open. See also checkpointAfterLargeWrite.
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    runMigrations(db, migrations, log);
    return db;
  } catch (error) {
    db.close();
    if (!isUnreadableFile(error)) throw error;
    const movedTo = moveAside(file, now());
    log.error('the datasets file could not be read; it was moved aside and a new one will be started', { movedTo });
    throw new AppError(
      'DB_CORRUPT',
      `The datasets file of this profile could not be read, so it was moved to ${movedTo} and kept there. Restart the app to start a new file; data already synced will download again.`,
      { cause: error },
    );
  }
}

function isUnreadableFile(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT'));
}

// The -wal and -shm files move with it under matching names, so SQLite can still open the copy.
function moveAside(file: string, at: number): string {
  const aside = `${file}.corrupt-${new Date(at).toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['-wal', '-shm', '']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  }
  return aside;
}
