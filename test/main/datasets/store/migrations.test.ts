// The datasets file across app versions: migrated up from every older schema, refused when newer,
// moved aside (never wiped) when unreadable.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { datasetsFileOf, openDatasetDatabase } from '../../../../main/datasets/store/open-database';
import { runMigrations, SCHEMA_MIGRATIONS, schemaVersionOf } from '../../../../main/datasets/store/migrations/run-migrations';
import { FIXTURE_IDENTITY, fixtureFile, OTHER_FIXTURE_IDENTITY } from '../../../fixtures/make-db-fixtures';
import { openTestStore, tempProfileDir } from '../../../support/dataset-store';
import { thrown } from '../../../support/app-error';

const LATEST = SCHEMA_MIGRATIONS.length;


test('every older schema version has a fixture file', () => {
  for (let version = 1; version < LATEST; version += 1) expect(existsSync(fixtureFile(version)), `datasets-v${version}.sqlite`).toBe(true);
});

test.each(Array.from({ length: LATEST - 1 }, (_, index) => index + 1))(
  'a file of schema version %i migrates to the newest and keeps its data',
  (version) => {
    const profileDir = tempProfileDir('migrate');
    copyFileSync(fixtureFile(version), datasetsFileOf(profileDir));
    const store = openTestStore({ profileDir });
    try {
      const db = new Database(store.file, { readonly: true });
      expect(schemaVersionOf(db)).toBe(LATEST);
      db.close();

      expect(store.listDatasets(FIXTURE_IDENTITY).map((d) => [d.name, d.recordCount, d.pendingChanges, d.policy])).toEqual([
        ['notes', 2, 2, 'lastWriterWins'],
      ]);
      expect(store.getRecord(FIXTURE_IDENTITY, 'notes', 'greeting')?.value).toBe('hello');
      expect(store.getRecord(FIXTURE_IDENTITY, 'notes', 'gone')).toBeUndefined();
      expect(store.syncStorage.pendingChanges(FIXTURE_IDENTITY, 'notes')?.records.map((r) => [r.key, r.value])).toEqual([
        ['draft', 'not pushed yet'],
        ['gone', null],
      ]);
      // The dirty counter (schema version 7) starts from the file's dirty records.
      expect(store.syncStorage.syncState(FIXTURE_IDENTITY, 'notes')?.pendingRecords).toBe(2);
      expect(store.syncStorage.syncState(OTHER_FIXTURE_IDENTITY, 'notes')?.pendingRecords).toBe(1);
      expect(store.syncStorage.syncState(FIXTURE_IDENTITY, 'old-stuff')).toMatchObject({ deleted: true, deletePending: true, lastSyncCount: 2, syncedGeneration: 0 });
      expect(store.getRecord(OTHER_FIXTURE_IDENTITY, 'notes', 'greeting')?.value).toBe('someone else');
      // "Work offline" exists from version 2 on; before that it was off.
      expect(store.workOffline()).toBe(version >= 2);
      // Local writes carry on from the file's sequence, never reusing a local_version.
      store.put(FIXTURE_IDENTITY, 'notes', 'draft', 'edited');
      expect(store.syncStorage.pendingChanges(FIXTURE_IDENTITY, 'notes')?.records[0]?.localVersion).toBe(4);
    } finally {
      store.close();
    }
    expect(statSync(datasetsFileOf(profileDir)).mode & 0o777).toBe(0o600);
  },
);

test('a file written by a newer app is refused with DB_TOO_NEW and left as it was', () => {
  const profileDir = tempProfileDir('too-new');
  const file = datasetsFileOf(profileDir);
  const newer = new Database(file);
  newer.pragma(`user_version = ${LATEST + 1}`);
  newer.close();
  const before = readFileSync(file);

  const error = thrown(() => openDatasetDatabase({ profileDir }));
  expect(error.code).toBe('DB_TOO_NEW');
  expect(error.message).toContain('newer version of the app');
  expect(readFileSync(file).equals(before)).toBe(true);
});

test('an unreadable file is moved aside with DB_CORRUPT naming where it is, and a new file starts next time', () => {
  const profileDir = tempProfileDir('corrupt');
  const file = datasetsFileOf(profileDir);
  const garbage = Buffer.from('these bytes are not a SQLite database, '.repeat(200));
  writeFileSync(file, garbage);

  const error = thrown(() => openDatasetDatabase({ profileDir, now: () => Date.parse('2026-01-02T03:04:05.678Z') }));
  expect(error.code).toBe('DB_CORRUPT');
  const aside = join(profileDir, 'datasets.sqlite.corrupt-2026-01-02T03-04-05-678Z');
  expect(error.message).toContain(aside);
  expect(readFileSync(aside).equals(garbage)).toBe(true);
  expect(existsSync(file)).toBe(false);

  const store = openTestStore({ profileDir });
  expect(store.listDatasets(FIXTURE_IDENTITY)).toEqual([]);
  store.close();
  expect(readFileSync(aside).equals(garbage)).toBe(true);
});

test('a migration step that fails leaves the file at the last finished version', () => {
  const profileDir = tempProfileDir('failing-step');
  const db = new Database(datasetsFileOf(profileDir));
  const failing = [
    SCHEMA_MIGRATIONS[0]!,
    {
      version: 2,
      migrate: (target: Database.Database) => {
        target.exec('CREATE TABLE half_done (x)');
        throw new Error('disk trouble');
      },
    },
  ];
  expect(() => runMigrations(db, failing)).toThrow('disk trouble');
  expect(schemaVersionOf(db)).toBe(1);
  expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
  // The next run picks up at the failed step.
  runMigrations(db, SCHEMA_MIGRATIONS);
  expect(schemaVersionOf(db)).toBe(LATEST);
  db.close();
});

test('migration steps must be numbered 1, 2, 3… in order', () => {
  const db = new Database(':memory:');
  expect(() => runMigrations(db, [SCHEMA_MIGRATIONS[1]!, SCHEMA_MIGRATIONS[0]!])).toThrow(/numbered/);
  db.close();
});
