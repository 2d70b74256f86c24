// The store's reads (Signal's Interface style: reads apart from writes). None of them writes.
import { AppError } from '../../shared/errors';
import type { ConflictPolicyName } from './merge-record';
import { liveDatasetRow, type ConflictRow, type RecordRow, type StoreContext } from './store-context';

export interface DatasetSummary {
  name: string;
  /** Live records (removed ones are not counted). */
  recordCount: number;
  /** UTF-8 bytes of the live records' keys and values. */
  bytes: number;
  /** When a sync last confirmed this dataset against the remote (ms since epoch), or null if never. */
  lastSyncedAt: number | null;
  /** Records changed here and not yet pushed, conflicted ones excluded. */
  pendingChanges: number;
  /** Keys waiting for the user to choose (manual policy). */
  conflicts: number;
  /** True while anything of this dataset (records, its creation) is not yet on the remote. */
  syncPending: boolean;
  policy: ConflictPolicyName;
}

export interface RecordView {
  key: string;
  value: string;
  /** When the value was written, on whichever device wrote it (ms since epoch). */
  modifiedAt: number;
  /** Changed here and not yet pushed. */
  pending: boolean;
  /** A remote change of this key waits for the user to choose. */
  conflicted: boolean;
}

export interface RecordPage {
  records: RecordView[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface ListRecordsOptions {
  /** Only keys that start with this. */
  prefix?: string;
  cursor?: string;
  /** Page size: 1–1000, default 100. */
  limit?: number;
}

export interface ConflictSide {
  /** null: removed on that side. */
  value: string | null;
  deviceLastModified: number;
  /** The device ID that wrote this side. */
  modifiedBy: string;
}

export interface ConflictView {
  dataset: string;
  key: string;
  mine: ConflictSide;
  theirs: ConflictSide & { syncCount: number };
  detectedAt: number;
}

export interface UnsyncedChanges {
  total: number;
  /** Per dataset: records changed here (conflicted ones included), or 1 for an unpushed create/delete alone. */
  datasets: { name: string; changes: number; deleted: boolean }[];
}

const SUMMARY_SELECT = `
  SELECT d.name, d.policy, d.last_synced_at, d.header_dirty, d.live_records AS record_count, d.live_bytes AS bytes,
    -- every conflict's key is dirty, so the difference is the dirty records not parked
    (SELECT count(*) FROM records r WHERE r.identity_id = d.identity_id AND r.dataset = d.name AND r.dirty = 1)
      - (SELECT count(*) FROM conflicts c WHERE c.identity_id = d.identity_id AND c.dataset = d.name) AS pending,
    (SELECT count(*) FROM conflicts c WHERE c.identity_id = d.identity_id AND c.dataset = d.name) AS conflicts
  FROM datasets d WHERE d.identity_id = ? AND d.deleted = 0`;

interface SummaryRow {
  name: string;
  policy: ConflictPolicyName;
  last_synced_at: number | null;
  header_dirty: 0 | 1;
  record_count: number;
  bytes: number;
  pending: number;
  conflicts: number;
}

function summaryOf(row: SummaryRow): DatasetSummary {
  return {
    name: row.name,
    recordCount: row.record_count,
    bytes: row.bytes,
    lastSyncedAt: row.last_synced_at,
    pendingChanges: row.pending,
    conflicts: row.conflicts,
    syncPending: row.pending > 0 || row.header_dirty === 1,
    policy: row.policy,
  };
}

export function listDatasets(ctx: StoreContext, identityId: string): DatasetSummary[] {
  return (ctx.sql(`${SUMMARY_SELECT} ORDER BY d.name`).all(identityId) as SummaryRow[]).map(summaryOf);
}

export function datasetSummary(ctx: StoreContext, identityId: string, name: string): DatasetSummary {
  const row = ctx.sql(`${SUMMARY_SELECT} AND d.name = ?`).get(identityId, name) as SummaryRow | undefined;
  if (row === undefined) liveDatasetRow(ctx, identityId, name);
  return summaryOf(row as SummaryRow);
}

const MAX_PAGE = 1000;
// The greatest code point: every key that starts with `prefix` sorts below prefix + U+10FFFF in
// SQLite's byte order, except keys whose next character is U+10FFFF itself, a noncharacter.
const AFTER_EVERY_KEY_WITH_PREFIX = '\u{10FFFF}';

export function listRecords(ctx: StoreContext, identityId: string, dataset: string, options: ListRecordsOptions = {}): RecordPage {
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new AppError('IPC_BAD_INPUT', `A page holds 1 to ${MAX_PAGE} records.`);
  }
  const after = options.cursor === undefined ? '' : decodeCursor(options.cursor);
  const prefix = options.prefix ?? '';
  return ctx.db.transaction(() => {
    liveDatasetRow(ctx, identityId, dataset);
    // Two texts, so that with a prefix the upper bound ends the index range instead of filtering it.
    const range = prefix === '' ? '' : 'AND r.key >= ? AND r.key < ?';
    const bounds = prefix === '' ? [after] : [after, prefix, prefix + AFTER_EVERY_KEY_WITH_PREFIX];
    const rows = ctx
      .sql(
        `SELECT r.key, r.value, r.device_last_modified, r.dirty, (c.key IS NOT NULL) AS conflicted
         FROM records r LEFT JOIN conflicts c ON c.identity_id = r.identity_id AND c.dataset = r.dataset AND c.key = r.key
         WHERE r.identity_id = ? AND r.dataset = ? AND r.deleted = 0 AND r.key > ? ${range}
         ORDER BY r.key LIMIT ?`,
      )
      .all(identityId, dataset, ...bounds, limit + 1) as (Pick<
      RecordRow,
      'key' | 'value' | 'device_last_modified' | 'dirty'
    > & { conflicted: 0 | 1 })[];
    const page = rows.slice(0, limit).map((row) => ({
      key: row.key,
      value: row.value ?? '',
      modifiedAt: row.device_last_modified,
      pending: row.dirty === 1,
      conflicted: row.conflicted === 1,
    }));
    const last = page.at(-1);
    return { records: page, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.key) : null };
  })();
}

// Opaque to callers; it only carries the last key of the page, so it stays valid across writes.
function encodeCursor(afterKey: string): string {
  return Buffer.from(JSON.stringify({ after: afterKey }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // falls through to the error below
  }
  throw new AppError('IPC_BAD_INPUT', 'That page cursor was not given out by this app. List the records again from the first page.');
}

export function getRecord(ctx: StoreContext, identityId: string, dataset: string, key: string): RecordView | undefined {
  // One statement, no transaction: the dataset check and the record are one snapshot anyway.
  const row = ctx
    .sql(
      `SELECT d.deleted AS dataset_deleted, r.key, r.value, r.deleted, r.device_last_modified, r.dirty,
         EXISTS (SELECT 1 FROM conflicts c WHERE c.identity_id = d.identity_id AND c.dataset = d.name AND c.key = @key) AS conflicted
       FROM datasets d LEFT JOIN records r ON r.identity_id = d.identity_id AND r.dataset = d.name AND r.key = @key
       WHERE d.identity_id = @identityId AND d.name = @dataset`,
    )
    .get({ identityId, dataset, key }) as
    | { dataset_deleted: 0 | 1; key: string | null; value: string | null; deleted: 0 | 1 | null; device_last_modified: number; dirty: 0 | 1; conflicted: 0 | 1 }
    | undefined;
  if (row === undefined || row.dataset_deleted === 1) liveDatasetRow(ctx, identityId, dataset);
  if (row === undefined || row.key === null || row.deleted !== 0 || row.value === null) return undefined;
  return { key: row.key, value: row.value, modifiedAt: row.device_last_modified, pending: row.dirty === 1, conflicted: row.conflicted === 1 };
}

export function listConflicts(ctx: StoreContext, identityId: string, dataset?: string): ConflictView[] {
  const rows = ctx
    .sql(
      `SELECT c.*, r.value AS local_value, r.deleted AS local_deleted, r.device_last_modified AS local_device_last_modified,
         r.last_modified_by AS local_last_modified_by
       FROM conflicts c JOIN records r ON r.identity_id = c.identity_id AND r.dataset = c.dataset AND r.key = c.key
       WHERE c.identity_id = ? AND (? IS NULL OR c.dataset = ?) ORDER BY c.dataset, c.key`,
    )
    .all(identityId, dataset ?? null, dataset ?? null) as (ConflictRow & {
    dataset: string;
    local_value: string | null;
    local_deleted: 0 | 1;
    local_device_last_modified: number;
    local_last_modified_by: string;
  })[];
  return rows.map((row) => ({
    dataset: row.dataset,
    key: row.key,
    mine: {
      value: row.local_deleted === 1 ? null : row.local_value,
      deviceLastModified: row.local_device_last_modified,
      modifiedBy: row.local_last_modified_by,
    },
    theirs: {
      value: row.remote_deleted === 1 ? null : row.remote_value,
      syncCount: row.remote_sync_count,
      deviceLastModified: row.remote_device_last_modified,
      modifiedBy: row.remote_last_modified_by,
    },
    detectedAt: row.detected_at,
  }));
}

/** What signing out with "remove this device's data" would lose: asked before the dialog. */
export function unsyncedChanges(ctx: StoreContext, identityId: string): UnsyncedChanges {
  const rows = ctx
    .sql(
      `SELECT d.name, d.deleted, d.header_dirty,
         (SELECT count(*) FROM records r WHERE r.identity_id = d.identity_id AND r.dataset = d.name AND r.dirty = 1) AS dirty
       FROM datasets d WHERE d.identity_id = ? ORDER BY d.name`,
    )
    .all(identityId) as { name: string; deleted: 0 | 1; header_dirty: 0 | 1; dirty: number }[];
  const datasets = rows
    .map((row) => ({ name: row.name, changes: row.dirty > 0 ? row.dirty : row.header_dirty, deleted: row.deleted === 1 }))
    .filter((row) => row.changes > 0);
  return { total: datasets.reduce((sum, row) => sum + row.changes, 0), datasets };
}

export function workOffline(ctx: StoreContext): boolean {
  const row = ctx.sql("SELECT value FROM profile_settings WHERE name = 'workOffline'").get() as { value: string } | undefined;
  return row?.value === 'true';
}
