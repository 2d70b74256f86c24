// What every step of the dataset store shares: the connection, cached statements, the clock, the
// device ID, the limits, the event sink — and the row shapes and row-level steps the reads, the
// user's writes and the sync bookkeeping all use.
import type { Database, Statement } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import type { DatasetLimits } from '../limits';
import { utf8Bytes } from '../limits';
import type { ConflictPolicyName, LocalSide, PulledRecord } from './merge-record';

export type DatasetStoreEvent =
  /** Datasets appeared, disappeared, or changed policy. */
  | { type: 'datasetsChanged'; identityId: string }
  /** Records of one dataset changed: `origin` says whether the user (local) or a pull (remote) did it. */
  | { type: 'recordsChanged'; identityId: string; dataset: string; origin: 'local' | 'remote' }
  | { type: 'conflictsChanged'; identityId: string; dataset: string }
  /** The names the identity's other devices told in the cloud changed here (after a sync read them). */
  | { type: 'devicesChanged'; identityId: string }
  | { type: 'workOfflineChanged'; workOffline: boolean }
  /** The user renamed this device (a profile setting, told to the cloud by the next sync). */
  | { type: 'deviceRenamed'; name: string };

/** A statement a read path may run: it returns rows, and cannot run a write. */
export type ReadStatement = Pick<Statement, 'get' | 'all' | 'iterate'>;

/**
 * The read-only handle (Signal Desktop's ReadableDB idea): what every read path takes, so the type
 * system keeps it from writing — it has no connection, no `sql`, no event sink — and `read` refuses
 * a statement SQLite says would write. The writable StoreContext is a ReadContext too.
 */
export interface ReadContext {
  /** A prepared read statement, prepared once per text. */
  read(text: string): ReadStatement;
  /** Runs `reads` as one snapshot (one read transaction). */
  snapshot<T>(reads: () => T): T;
  deviceId: string;
  now(): number;
  limits: DatasetLimits;
}

/** The writable handle: what the user's writes and the sync bookkeeping take. */
export interface StoreContext extends ReadContext {
  db: Database;
  /** A prepared statement, prepared once per text. */
  sql(text: string): Statement;
  emit(event: DatasetStoreEvent): void;
  /**
   * After a transaction that wrote `records` records: a large one is checkpointed into the database
   * and the WAL truncated at once, so the files stay near the size of the data.
   */
  afterLargeWrite(records: number): void;
}

/** A transaction writing at least this many records is checkpointed right after it commits. */
export const LARGE_WRITE_RECORDS = 1000;

export function statementCache(db: Database): (text: string) => Statement {
  const cache = new Map<string, Statement>();
  return (text) => {
    let statement = cache.get(text);
    if (statement === undefined) {
      statement = db.prepare(text);
      cache.set(text, statement);
    }
    return statement;
  };
}

/** The read and write handles over one connection. */
export function storeContext(db: Database, fields: Pick<StoreContext, 'deviceId' | 'now' | 'limits' | 'emit'>): StoreContext {
  const sql = statementCache(db);
  return {
    ...fields,
    db,
    sql,
    afterLargeWrite(records) {
      // Best effort: with a reader in the way SQLite copies what it can and the WAL shrinks to
      // journal_size_limit at its next reset.
      if (records >= LARGE_WRITE_RECORDS && !db.inTransaction) db.pragma('wal_checkpoint(TRUNCATE)');
    },
    read(text) {
      const statement = sql(text);
      if (!statement.readonly) throw new Error('a read path prepared a statement that writes');
      return statement;
    },
    snapshot: (reads) => db.transaction(reads)(),
  };
}

export interface DatasetRow {
  name: string;
  last_sync_count: number;
  /** The remote generation last_sync_count counts in (the local generation is ahead after a re-create here). */
  synced_generation: number;
  generation: number;
  deleted: 0 | 1;
  header_dirty: 0 | 1;
  policy: ConflictPolicyName;
  write_seq: number;
  live_records: number;
  live_bytes: number;
  /** Records with dirty = 1 (conflicted ones included), kept with every write (schema version 7). */
  dirty_records: number;
  created_at: number;
  last_synced_at: number | null;
}

export interface RecordDbRow {
  key: string;
  value: string | null;
  deleted: 0 | 1;
  bytes: number;
  base_sync_count: number;
  local_version: number;
  dirty: 0 | 1;
  modified_at: number;
  device_last_modified: number;
  last_modified_by: string;
}

export interface ConflictRow {
  key: string;
  remote_value: string | null;
  remote_deleted: 0 | 1;
  remote_sync_count: number;
  remote_device_last_modified: number;
  remote_last_modified_by: string;
  detected_at: number;
}

export function datasetRow(ctx: ReadContext, identityId: string, name: string): DatasetRow | undefined {
  return ctx.read('SELECT * FROM datasets WHERE identity_id = ? AND name = ?').get(identityId, name) as DatasetRow | undefined;
}

/** The dataset as the user sees it: present and not deleted, or DATASET_NOT_FOUND. */
export function liveDatasetRow(ctx: ReadContext, identityId: string, name: string): DatasetRow {
  const row = datasetRow(ctx, identityId, name);
  if (row === undefined || row.deleted === 1) {
    throw new AppError('DATASET_NOT_FOUND', 'This dataset does not exist on this device (it may have been deleted, here or on another device). Open or create it again.');
  }
  return row;
}

export function recordRow(ctx: ReadContext, identityId: string, dataset: string, key: string): RecordDbRow | undefined {
  return ctx.read('SELECT * FROM records WHERE identity_id = ? AND dataset = ? AND key = ?').get(identityId, dataset, key) as
    | RecordDbRow
    | undefined;
}

export function conflictRow(ctx: ReadContext, identityId: string, dataset: string, key: string): ConflictRow | undefined {
  return ctx.read('SELECT * FROM conflicts WHERE identity_id = ? AND dataset = ? AND key = ?').get(identityId, dataset, key) as
    | ConflictRow
    | undefined;
}

/**
 * The next local_version of the dataset (never reused while the dataset's row exists), moving its
 * live and dirty counters by what the write does to them — in the same statement.
 */
function nextLocalVersion(ctx: StoreContext, identityId: string, dataset: string, liveRecords: number, liveBytes: number, dirtyRecords: number): number {
  const row = ctx
    .sql(
      `UPDATE datasets SET write_seq = write_seq + 1, live_records = live_records + ?, live_bytes = live_bytes + ?, dirty_records = dirty_records + ?
       WHERE identity_id = ? AND name = ? RETURNING write_seq`,
    )
    .get(liveRecords, liveBytes, dirtyRecords, identityId, dataset) as { write_seq: number } | undefined;
  if (row === undefined) throw new Error('the dataset row disappeared inside its own transaction');
  return row.write_seq;
}

/** Moves the dataset's dirty counter by `delta`, for a write that changes `dirty` without a new local_version. */
export function addDirtyRecords(ctx: StoreContext, identityId: string, dataset: string, delta: number): void {
  if (delta === 0) return;
  ctx.sql('UPDATE datasets SET dirty_records = dirty_records + ? WHERE identity_id = ? AND name = ?').run(delta, identityId, dataset);
}

/** After rows were deleted in bulk: the counters from what is left (deletes leave few rows). */
export function recountDataset(ctx: StoreContext, identityId: string, dataset: string): void {
  ctx
    .sql(
      `UPDATE datasets SET
         live_records = (SELECT count(*) FROM records r WHERE r.identity_id = datasets.identity_id AND r.dataset = datasets.name AND r.deleted = 0),
         live_bytes = (SELECT coalesce(sum(r.bytes), 0) FROM records r WHERE r.identity_id = datasets.identity_id AND r.dataset = datasets.name AND r.deleted = 0),
         dirty_records = (SELECT count(*) FROM records r WHERE r.identity_id = datasets.identity_id AND r.dataset = datasets.name AND r.dirty = 1)
       WHERE identity_id = ? AND name = ?`,
    )
    .run(identityId, dataset);
}

export interface RecordWrite {
  key: string;
  value: string | null;
  dirty: boolean;
  baseSyncCount: number;
  deviceLastModified: number;
  lastModifiedBy: string;
}

/**
 * Writes one record row with a fresh local_version, so an older push snapshot can never clean it.
 * `previous` is the row as the caller read it in this transaction (undefined: none).
 */
export function writeRecord(ctx: StoreContext, identityId: string, dataset: string, previous: RecordDbRow | undefined, write: RecordWrite): void {
  const bytes = utf8Bytes(write.key) + (write.value === null ? 0 : utf8Bytes(write.value));
  const wasLive = previous !== undefined && previous.deleted === 0;
  const isLive = write.value !== null;
  const liveRecords = Number(isLive) - Number(wasLive);
  const liveBytes = (isLive ? bytes : 0) - (wasLive ? previous.bytes : 0);
  const dirtyRecords = Number(write.dirty) - Number(previous !== undefined && previous.dirty === 1);
  ctx
    .sql(
      `INSERT INTO records (identity_id, dataset, key, value, deleted, bytes, base_sync_count, local_version, dirty, modified_at, device_last_modified, last_modified_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (identity_id, dataset, key) DO UPDATE SET value = excluded.value, deleted = excluded.deleted, bytes = excluded.bytes,
         base_sync_count = excluded.base_sync_count, local_version = excluded.local_version, dirty = excluded.dirty,
         modified_at = excluded.modified_at, device_last_modified = excluded.device_last_modified, last_modified_by = excluded.last_modified_by`,
    )
    .run(
      identityId,
      dataset,
      write.key,
      write.value,
      write.value === null ? 1 : 0,
      bytes,
      write.baseSyncCount,
      nextLocalVersion(ctx, identityId, dataset, liveRecords, liveBytes, dirtyRecords),
      write.dirty ? 1 : 0,
      ctx.now(),
      write.deviceLastModified,
      write.lastModifiedBy,
    );
}

export function deleteConflict(ctx: StoreContext, identityId: string, dataset: string, key: string): void {
  ctx.sql('DELETE FROM conflicts WHERE identity_id = ? AND dataset = ? AND key = ?').run(identityId, dataset, key);
}

export function localSideOf(row: RecordDbRow): LocalSide {
  return {
    value: row.deleted === 1 ? null : row.value,
    dirty: row.dirty === 1,
    baseSyncCount: row.base_sync_count,
    deviceLastModified: row.device_last_modified,
    lastModifiedBy: row.last_modified_by,
  };
}

export function remoteSideOf(row: ConflictRow): PulledRecord {
  return {
    key: row.key,
    value: row.remote_deleted === 1 ? null : row.remote_value,
    syncCount: row.remote_sync_count,
    deviceLastModified: row.remote_device_last_modified,
    lastModifiedBy: row.remote_last_modified_by,
  };
}
