// The dataset store's user-facing API on real SQLite files: per-identity isolation, paging, limits,
// durability, conflicts and their resolution, events, and a log that never sees user data.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { OpenedDatasetStore, DatasetStoreEvent } from '../../../../main/datasets/store/dataset-store';
import { createLogger } from '../../../../main/platform/log';
import { openTestStore, tempProfileDir, testClock } from '../../../support/dataset-store';
import { thrown } from '../../../support/app-error';

const ALICE = 'us-east-1:11111111-1111-4111-8111-111111111111';
const BOB = 'us-east-1:22222222-2222-4222-8222-222222222222';


function allKeys(store: OpenedDatasetStore, identityId: string, dataset: string, prefix?: string, limit = 100): string[][] {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = store.listRecords(identityId, dataset, { prefix, cursor, limit });
    pages.push(page.records.map((record) => record.key));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return pages;
}

test('two identities on one profile never see each other’s datasets, records or changes', () => {
  const store = openTestStore();
  store.openOrCreate(ALICE, 'notes');
  store.openOrCreate(BOB, 'notes');
  store.put(ALICE, 'notes', 'secret', 'alice-only');
  store.put(BOB, 'notes', 'secret', 'bob-only');
  store.openOrCreate(BOB, 'bob-extra');

  expect(store.getRecord(ALICE, 'notes', 'secret')?.value).toBe('alice-only');
  expect(store.getRecord(BOB, 'notes', 'secret')?.value).toBe('bob-only');
  expect(store.listDatasets(ALICE).map((d) => d.name)).toEqual(['notes']);
  expect(store.listDatasets(BOB).map((d) => d.name)).toEqual(['bob-extra', 'notes']);
  expect(thrown(() => store.getRecord(ALICE, 'bob-extra', 'x')).code).toBe('DATASET_NOT_FOUND');
  // One record, and the create of the dataset: both wait to be pushed.
  expect(store.unsyncedChanges(ALICE).datasets).toEqual([{ name: 'notes', changes: 2, pending: 2, conflicts: 0, deleted: false }]);
  store.close();
});

test('"remove this device’s data" removes every trace of one identity from the files and nothing of another', () => {
  const store = openTestStore();
  store.openOrCreate(ALICE, 'diary');
  store.openOrCreate(BOB, 'diary');
  const aliceValue = `alice-private-${'x'.repeat(200)}`;
  for (let index = 0; index < 20; index += 1) store.put(ALICE, 'diary', `k${index}`, `${aliceValue}-${index}`);
  store.put(BOB, 'diary', 'k', 'bob-stays');

  expect(store.unsyncedChanges(ALICE).total).toBe(21);
  store.removeIdentityData(ALICE);

  expect(store.listDatasets(ALICE)).toEqual([]);
  expect(store.unsyncedChanges(ALICE)).toEqual({ total: 0, pending: 0, conflicts: 0, datasets: [] });
  expect(store.getRecord(BOB, 'diary', 'k')?.value).toBe('bob-stays');
  // Not merely unlisted: the bytes are gone from the database and its WAL.
  for (const suffix of ['', '-wal']) {
    const file = store.file + suffix;
    if (existsSync(file)) expect(readFileSync(file).includes('alice-private-')).toBe(false);
  }
  store.close();
});

describe('listing records', () => {
  test('pages follow the cursor in key order, the prefix filters, and removed keys are left out', () => {
    const store = openTestStore();
    store.openOrCreate(ALICE, 'big');
    for (let index = 0; index < 120; index += 1) store.put(ALICE, 'big', `a/${String(index).padStart(3, '0')}`, `v${index}`);
    for (let index = 0; index < 30; index += 1) store.put(ALICE, 'big', `b/${index}`, 'other');
    store.put(ALICE, 'big', 'a', 'not under a/');
    store.remove(ALICE, 'big', 'a/005');

    const pages = allKeys(store, ALICE, 'big', 'a/', 50);
    expect(pages.map((page) => page.length)).toEqual([50, 50, 19]);
    const keys = pages.flat();
    expect(keys).toEqual([...keys].sort());
    expect(keys).not.toContain('a/005');
    expect(keys.every((key) => key.startsWith('a/'))).toBe(true);
    expect(allKeys(store, ALICE, 'big', undefined, 1000).flat()).toHaveLength(150);
    // 151 records written here (one of them removed) and the dataset's create.
    expect(store.getDataset(ALICE, 'big')).toMatchObject({ recordCount: 150, pendingChanges: 152 });
    store.close();
  });

  test('a page cursor stays valid while records are written between pages', () => {
    const store = openTestStore();
    store.openOrCreate(ALICE, 'list');
    for (const key of ['a', 'b', 'c', 'd']) store.put(ALICE, 'list', key, key);
    const first = store.listRecords(ALICE, 'list', { limit: 2 });
    store.put(ALICE, 'list', 'aa', 'inserted before the cursor');
    store.put(ALICE, 'list', 'e', 'after');
    const second = store.listRecords(ALICE, 'list', { limit: 10, cursor: first.nextCursor ?? undefined });
    expect(second.records.map((r) => r.key)).toEqual(['c', 'd', 'e']);
    expect(second.nextCursor).toBeNull();
    expect(thrown(() => store.listRecords(ALICE, 'list', { cursor: 'not-a-cursor' })).code).toBe('IPC_BAD_INPUT');
    store.close();
  });
});

describe('limits are enforced before anything is written', () => {
  test('a key or value over its limit is refused and the dataset is unchanged', () => {
    const store = openTestStore();
    store.openOrCreate(ALICE, 'limits');
    expect(thrown(() => store.put(ALICE, 'limits', 'k'.repeat(129), 'v')).code).toBe('LIMIT_KEY_SIZE');
    expect(thrown(() => store.put(ALICE, 'limits', 'k', 'v'.repeat(192 * 1024 + 1))).code).toBe('LIMIT_VALUE_SIZE');
    expect(thrown(() => store.openOrCreate(ALICE, 'bad#name')).code).toBe('LIMIT_DATASET_NAME');
    // Only the create waits.
    expect(store.getDataset(ALICE, 'limits')).toMatchObject({ recordCount: 0, pendingChanges: 1 });
    expect(store.listDatasets(ALICE)).toHaveLength(1);
    store.close();
  });

  test('an import is all or nothing: one bad record or one record too many writes none', () => {
    const store = openTestStore({ limits: { recordsPerDataset: 4 } });
    store.openOrCreate(ALICE, 'import');
    store.put(ALICE, 'import', 'kept', 'before');
    expect(thrown(() => store.putMany(ALICE, 'import', [{ key: 'a', value: '1' }, { key: '', value: '2' }])).code).toBe('LIMIT_KEY_SIZE');
    const tooMany = ['a', 'b', 'c', 'd'].map((key) => ({ key, value: key }));
    expect(thrown(() => store.putMany(ALICE, 'import', tooMany)).code).toBe('LIMIT_RECORDS_PER_DATASET');
    expect(store.getDataset(ALICE, 'import')).toMatchObject({ recordCount: 1, pendingChanges: 2 });

    expect(store.putMany(ALICE, 'import', [{ key: 'kept', value: 'before' }, ...tooMany.slice(0, 3)])).toBe(3);
    expect(store.getDataset(ALICE, 'import')).toMatchObject({ recordCount: 4, pendingChanges: 5 });
    store.close();
  });

  test('records per dataset and datasets per identity count live ones only', () => {
    const store = openTestStore({ limits: { recordsPerDataset: 3, datasetsPerIdentity: 2 } });
    store.openOrCreate(ALICE, 'one');
    for (const key of ['a', 'b', 'c']) store.put(ALICE, 'one', key, key);
    expect(thrown(() => store.put(ALICE, 'one', 'd', 'd')).code).toBe('LIMIT_RECORDS_PER_DATASET');
    store.put(ALICE, 'one', 'a', 'overwrite is fine');
    store.remove(ALICE, 'one', 'b');
    store.put(ALICE, 'one', 'd', 'fits after a removal');

    store.openOrCreate(ALICE, 'two');
    expect(thrown(() => store.openOrCreate(ALICE, 'three')).code).toBe('LIMIT_DATASETS_PER_IDENTITY');
    store.openOrCreate(ALICE, 'two');
    store.deleteDataset(ALICE, 'two');
    store.openOrCreate(ALICE, 'three');
    store.openOrCreate(BOB, 'three');
    store.close();
  });
});

describe('writes are durable', () => {
  test('the file is private to the user and in WAL mode', () => {
    const store = openTestStore();
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    store.openOrCreate(ALICE, 'x');
    store.put(ALICE, 'x', 'k', 'v');
    expect(statSync(`${store.file}-wal`).mode & 0o777).toBe(0o600);
    store.close();
  });

  test('a write that returned survives the process being killed at once', async () => {
    const profileDir = tempProfileDir('killed');
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'write-then-wait.ts'), profileDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('written')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`the writer exited early (${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const store = openTestStore({ profileDir });
    expect(store.getRecord(ALICE, 'durable', 'last')?.value).toBe('written just before the kill');
    expect(store.getDataset(ALICE, 'durable')).toMatchObject({ recordCount: 50, pendingChanges: 51 });
    store.close();
  });

  test('the work-offline switch belongs to the profile and outlives a restart', () => {
    const profileDir = tempProfileDir('offline');
    const first = openTestStore({ profileDir });
    expect(first.workOffline()).toBe(false);
    first.setWorkOffline(true);
    first.close();
    const second = openTestStore({ profileDir });
    expect(second.workOffline()).toBe(true);
    second.close();
  });
});

describe('datasets', () => {
  test('openOrCreate is idempotent and a new dataset is listed with its counters', () => {
    const store = openTestStore();
    const created = store.openOrCreate(ALICE, 'settings');
    expect(created).toEqual({
      name: 'settings',
      recordCount: 0,
      bytes: 0,
      lastSyncedAt: null,
      // The create waits to be pushed: one change.
      pendingChanges: 1,
      conflicts: 0,
      syncPending: true,
      policy: 'manual',
      created: true,
    });
    store.put(ALICE, 'settings', 'théme', 'dark');
    expect(store.openOrCreate(ALICE, 'settings')).toMatchObject({ recordCount: 1, bytes: 'théme'.length + 1 + 4, pendingChanges: 2, created: false });
    expect(store.listDatasets(ALICE)).toHaveLength(1);
    store.close();
  });

  test('a deleted dataset is gone at once, and re-creating it brings nothing old back', () => {
    const store = openTestStore();
    store.openOrCreate(ALICE, 'temp');
    store.put(ALICE, 'temp', 'old', 'value');
    store.deleteDataset(ALICE, 'temp');
    expect(store.listDatasets(ALICE)).toEqual([]);
    expect(thrown(() => store.put(ALICE, 'temp', 'k', 'v')).code).toBe('DATASET_NOT_FOUND');
    expect(thrown(() => store.deleteDataset(ALICE, 'temp')).code).toBe('DATASET_NOT_FOUND');
    expect(store.unsyncedChanges(ALICE).datasets).toEqual([{ name: 'temp', changes: 1, pending: 1, conflicts: 0, deleted: true }]);

    store.openOrCreate(ALICE, 'temp');
    expect(store.getRecord(ALICE, 'temp', 'old')).toBeUndefined();
    expect(store.getDataset(ALICE, 'temp').recordCount).toBe(0);
    store.close();
  });

  test('a put of the value a key already holds is no change to sync', () => {
    const store = openTestStore();
    store.openOrCreate(ALICE, 'same');
    const first = store.put(ALICE, 'same', 'k', 'v');
    expect(first.changed).toBe(true);
    // Unchanged: nothing written, and the time is the record's own (the first put's).
    expect(store.put(ALICE, 'same', 'k', 'v')).toEqual({ changed: false, modifiedAt: first.modifiedAt });
    expect(store.remove(ALICE, 'same', 'missing')).toEqual({ changed: false, modifiedAt: null });
    // The record and the dataset's create.
    expect(store.getDataset(ALICE, 'same').pendingChanges).toBe(2);
    store.close();
  });
});

describe('conflicts', () => {
  // A conflict made the way sync makes one: a pushed record, changed here, and changed remotely.
  function conflicted(policy: 'manual' | 'lastWriterWins' | 'remote' | 'local' = 'manual') {
    const clock = testClock();
    const store = openTestStore({ now: clock.now, deviceId: 'device-a' });
    store.openOrCreate(ALICE, 'shared');
    store.setConflictPolicy(ALICE, 'shared', policy);
    store.put(ALICE, 'shared', 'color', 'blue');
    const batch = store.syncStorage.pendingChanges(ALICE, 'shared')!;
    store.syncStorage.markCommitted(ALICE, 'shared', 1, 0, batch.records);
    store.put(ALICE, 'shared', 'color', 'green');
    const result = store.syncStorage.applyPull(ALICE, 'shared', {
      header: { syncCount: 2, generation: 0, deleted: false },
      records: [{ key: 'color', value: 'red', syncCount: 2, deviceLastModified: clock.now() + 10_000, lastModifiedBy: 'device-b' }],
    });
    return { store, result };
  }

  test('under manual both values are kept until the user chooses, and the key is not pushed', () => {
    const { store, result } = conflicted('manual');
    expect(result.conflicts).toEqual(['color']);
    expect(store.getRecord(ALICE, 'shared', 'color')).toMatchObject({ value: 'green', conflicted: true });
    expect(store.listConflicts(ALICE)).toMatchObject([
      { dataset: 'shared', key: 'color', mine: { value: 'green', modifiedBy: 'device-a' }, theirs: { value: 'red', syncCount: 2, modifiedBy: 'device-b' } },
    ]);
    expect(store.syncStorage.pendingChanges(ALICE, 'shared')?.records).toEqual([]);
    expect(store.getDataset(ALICE, 'shared')).toMatchObject({ conflicts: 1, pendingChanges: 0 });
    expect(store.unsyncedChanges(ALICE).total).toBe(1);
    store.close();
  });

  test('keep mine: my value is pushed over theirs', () => {
    const { store } = conflicted();
    store.resolveConflict(ALICE, 'shared', 'color', { keep: 'mine' });
    expect(store.listConflicts(ALICE)).toEqual([]);
    expect(store.syncStorage.pendingChanges(ALICE, 'shared')?.records.map((r) => [r.key, r.value])).toEqual([['color', 'green']]);
    expect(thrown(() => store.resolveConflict(ALICE, 'shared', 'color', { keep: 'mine' })).code).toBe('CONFLICT_NOT_FOUND');
    store.close();
  });

  test('keep theirs: their value is held, clean', () => {
    const { store } = conflicted();
    store.resolveConflict(ALICE, 'shared', 'color', { keep: 'theirs' });
    expect(store.getRecord(ALICE, 'shared', 'color')).toMatchObject({ value: 'red', pending: false, conflicted: false });
    expect(store.syncStorage.pendingChanges(ALICE, 'shared')?.records).toEqual([]);
    store.close();
  });

  test('a new value: written and pushed, within the limits', () => {
    const { store } = conflicted();
    expect(thrown(() => store.resolveConflict(ALICE, 'shared', 'color', { value: 'x'.repeat(300_000) })).code).toBe('LIMIT_VALUE_SIZE');
    store.resolveConflict(ALICE, 'shared', 'color', { value: 'purple' });
    expect(store.syncStorage.pendingChanges(ALICE, 'shared')?.records.map((r) => [r.key, r.value])).toEqual([['color', 'purple']]);
    store.close();
  });

  test('choosing a policy settles the conflicts already open', () => {
    const { store } = conflicted();
    store.setConflictPolicy(ALICE, 'shared', 'lastWriterWins');
    expect(store.listConflicts(ALICE)).toEqual([]);
    expect(store.getRecord(ALICE, 'shared', 'color')).toMatchObject({ value: 'red', pending: false });
    store.close();
  });

  test.each([
    ['lastWriterWins', 'red', false],
    ['remote', 'red', false],
    ['local', 'green', true],
  ] as const)('under %s a conflict never waits: the key holds %s (pending: %s)', (policy, value, pending) => {
    const { store, result } = conflicted(policy);
    expect(result.conflicts).toEqual([]);
    expect(result.resolvedByPolicy).toBe(1);
    expect(store.getRecord(ALICE, 'shared', 'color')).toMatchObject({ value, pending });
    expect(store.listConflicts(ALICE)).toEqual([]);
    store.close();
  });
});

test('subscribers hear each committed change, with its origin, until they unsubscribe', () => {
  const store = openTestStore();
  const events: DatasetStoreEvent[] = [];
  const unsubscribe = store.subscribe((event) => events.push(event));
  store.openOrCreate(ALICE, 'watched');
  store.put(ALICE, 'watched', 'k', 'v');
  thrownQuietly(() => store.put(ALICE, 'watched', '', 'refused'));
  store.syncStorage.applyPull(ALICE, 'watched', {
    header: { syncCount: 1, generation: 0, deleted: false },
    records: [{ key: 'r', value: 'remote', syncCount: 1, deviceLastModified: 1, lastModifiedBy: 'device-b' }],
  });
  store.setWorkOffline(true);
  unsubscribe();
  store.put(ALICE, 'watched', 'k', 'unheard');
  expect(events).toEqual([
    { type: 'datasetsChanged', identityId: ALICE },
    { type: 'recordsChanged', identityId: ALICE, dataset: 'watched', origin: 'local' },
    { type: 'recordsChanged', identityId: ALICE, dataset: 'watched', origin: 'remote' },
    { type: 'workOfflineChanged', workOffline: true },
  ]);
  store.close();
});

function thrownQuietly(act: () => unknown): void {
  try {
    act();
  } catch {
    // the refusal itself is tested elsewhere; here only its silence matters
  }
}

test('no dataset name, key or value ever reaches the log', () => {
  const lines: string[] = [];
  const log = createLogger({ write: (line) => lines.push(line), level: 'debug' });
  const profileDir = tempProfileDir('log');
  const store = openTestStore({ profileDir, log });
  const name = 'zzname-medical';
  const secrets = [name, 'zzkey-diagnosis', 'zzvalue-positive', 'zzremote-value', 'zzremote-key', 'zzmine'];
  store.openOrCreate(ALICE, name);
  store.put(ALICE, name, 'zzkey-diagnosis', 'zzvalue-positive');
  store.put(ALICE, name, 'zzmine', 'zzmine');
  thrownQuietly(() => store.put(ALICE, name, 'zzkey-diagnosis', 'zzvalue-positive'.repeat(20_000)));
  thrownQuietly(() => store.put(ALICE, 'zzname-missing', 'zzkey-diagnosis', 'x'));
  store.listRecords(ALICE, name, { prefix: 'zzkey' });
  const batch = store.syncStorage.pendingChanges(ALICE, name)!;
  store.syncStorage.markCommitted(ALICE, name, 1, 0, batch.records);
  store.put(ALICE, name, 'zzmine', 'zzmine-2');
  store.syncStorage.applyPull(ALICE, name, {
    header: { syncCount: 2, generation: 0, deleted: false },
    records: [
      { key: 'zzremote-key', value: 'zzremote-value', syncCount: 2, deviceLastModified: 1, lastModifiedBy: 'device-b' },
      { key: 'zzmine', value: 'zzremote-value', syncCount: 2, deviceLastModified: 1, lastModifiedBy: 'device-b' },
    ],
  });
  store.resolveConflict(ALICE, name, 'zzmine', { value: 'zzmine' });
  store.syncStorage.applyPull(ALICE, name, { header: { syncCount: 3, generation: 0, deleted: true }, records: [] });
  store.removeIdentityData(ALICE);
  store.close();

  const text = lines.join('\n');
  expect(text).toContain('applied a pull');
  for (const secret of secrets) expect(text).not.toContain(secret);
});
