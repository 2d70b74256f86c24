// The bulk write path of pulls and imports: most of a first pull's or an import's keys are new to
// the dataset, and a new key needs no read, no conflict to drop and no per-record counter update.
// One query reads a batch's rows, and each new key is ONE INSERT, its local_version from a block
// taken once and the dataset's counters moved once — instead of four statements per record.
import { utf8Bytes } from '../limits';
import type { RecordDbRow, RecordWrite, StoreContext } from './store-context';

/** The rows of `keys` in the dataset, in one query. */
export function heldRows(ctx: StoreContext, identityId: string, dataset: string, keys: readonly string[]): Map<string, RecordDbRow> {
  if (keys.length === 0) return new Map();
  const rows = ctx
    .read('SELECT * FROM records WHERE identity_id = ? AND dataset = ? AND key IN (SELECT value FROM json_each(?))')
    .all(identityId, dataset, JSON.stringify(keys)) as RecordDbRow[];
  return new Map(rows.map((row) => [row.key, row]));
}

/**
 * Inserts records whose keys the dataset has no row for (the caller knows, from heldRows), inside
 * the caller's transaction; tombstones (`value: null`) of keys never held leave nothing.
 */
export function insertNewRecords(ctx: StoreContext, identityId: string, dataset: string, writes: readonly RecordWrite[]): void {
  const live = writes.filter((write) => write.value !== null);
  if (live.length === 0) return;
  const bytes = live.map((write) => utf8Bytes(write.key) + utf8Bytes(write.value as string));
  const dirty = live.filter((write) => write.dirty).length;
  const reserved = ctx
    .sql(
      `UPDATE datasets SET write_seq = write_seq + ?, live_records = live_records + ?, live_bytes = live_bytes + ?, dirty_records = dirty_records + ?
       WHERE identity_id = ? AND name = ? RETURNING write_seq`,
    )
    .get(live.length, live.length, bytes.reduce((sum, n) => sum + n, 0), dirty, identityId, dataset) as { write_seq: number } | undefined;
  if (reserved === undefined) throw new Error('the dataset row disappeared inside its own transaction');
  const insert = ctx.sql(
    `INSERT INTO records (identity_id, dataset, key, value, deleted, bytes, base_sync_count, local_version, dirty, modified_at, device_last_modified, last_modified_by)
     VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const now = ctx.now();
  let version = reserved.write_seq - live.length;
  live.forEach((write, index) => {
    version += 1;
    insert.run(identityId, dataset, write.key, write.value, bytes[index], write.baseSyncCount, version, write.dirty ? 1 : 0, now, write.deviceLastModified, write.lastModifiedBy);
  });
}
