// The datasets file stays near the size of its data: a large pull or import is checkpointed at once
// and the WAL cut back (journal_size_limit), where it used to keep the size of the largest
// transaction for as long as the app ran.
import { statSync } from 'node:fs';
import { expect, test } from 'vitest';
import { WAL_SIZE_LIMIT_BYTES } from '../../../../main/datasets/store/open-database';
import { openTestStore } from '../../../support/dataset-store';

const ID = 'us-east-1:55555555-5555-4555-8555-555555555555';
const RECORDS = 5000;
const VALUE = 'v'.repeat(1024);

function walBytes(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

test('after a 5,000-record pull the WAL is small and the file near the size of the data', () => {
  const store = openTestStore();
  try {
    const records = Array.from({ length: RECORDS }, (_, index) => ({
      key: `key-${String(index).padStart(5, '0')}`,
      value: VALUE,
      syncCount: 1,
      deviceLastModified: 1,
      lastModifiedBy: 'device-z',
    }));
    store.syncStorage.applyPull(ID, 'big', { header: { syncCount: 1, generation: 0, deleted: false }, records });
    expect(store.getDataset(ID, 'big').recordCount).toBe(RECORDS);
    expect(walBytes(store.file)).toBeLessThanOrEqual(64 * 1024);
    const data = RECORDS * (VALUE.length + 9);
    expect(statSync(store.file).size).toBeLessThan(1.5 * data);

    // Later small writes never let the WAL grow past its limit again.
    for (let index = 0; index < 50; index += 1) store.put(ID, 'big', `key-${String(index).padStart(5, '0')}`, `edited ${index}`);
    expect(walBytes(store.file)).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
  } finally {
    store.close();
  }
});

test('after a 5,000-record import the WAL is small', () => {
  const store = openTestStore();
  try {
    store.openOrCreate(ID, 'imported');
    const changed = store.putMany(
      ID,
      'imported',
      Array.from({ length: RECORDS }, (_, index) => ({ key: `key-${index}`, value: VALUE })),
    );
    expect(changed).toBe(RECORDS);
    expect(walBytes(store.file)).toBeLessThanOrEqual(64 * 1024);
  } finally {
    store.close();
  }
});
