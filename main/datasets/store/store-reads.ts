// The store's reads (Signal's Interface style: reads apart from writes). None of them writes.
import { AppError } from '../../../shared/errors';
import type { ConflictPolicyName, DatasetSummary } from '../../../shared/ipc-contract';
import { liveDatasetRow, type ConflictRow, type RecordDbRow, type ReadContext } from './store-context';
import { pendingChangesOf } from './sync-state';

// A dataset's summary is the shape the contract sends: one definition.
export type { DatasetSummary };

/** A record as the store holds it: the contract's record but for who wrote it last (a device ID here). */
export interface RecordView {
  key: string;
  value: string;
  /** When the value was written, by the clock of the device that wrote it. */
  modifiedAt: number;
  pending: boolean;
  conflicted: boolean;
  /** The ID of the device that wrote it last (this device's own, or one a sync brought). */
  lastModifiedBy: string;
}

/** A record as a list shows it: its value whole, or its first characters when a preview was asked for. */
export interface ListedRecord extends RecordView {
  /** UTF-8 bytes of the whole value. */
  valueBytes: number;
  /** True when `value` is only the start of the value (a preview). */
  truncated: boolean;
}

export interface RecordPage {
  records: ListedRecord[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** The live records the filter matches (all pages), when `count` was asked for. */
  total?: number;
}

export interface ListRecordsOptions {
  /** Only keys that start with exactly this. */
  prefix?: string;
  cursor?: string;
  /**
   * Records skipped (after `cursor`, in key order) before the page starts: a table over the whole
   * dataset reads the page at any scroll position directly. Walks the key index (from the end past
   * the middle of an unfiltered preview listing), a few ms per thousand records skipped.
   */
  offset?: number;
  /** Also count the records the filter matches (`total`). */
  count?: boolean;
  /** Page size: 1–1000, default 100. */
  limit?: number;
  /**
   * The page ends early (with a cursor) before the UTF-8 bytes of its keys and values would pass
   * this; it holds at least one record. Default: no bound but `limit`.
   */
  maxBytes?: number;
  /** Values cut to at most this many UTF-16 code units (never a half surrogate pair); default whole. */
  previewChars?: number;
}

export interface ListConflictsOptions {
  /** The list ends before the UTF-8 bytes of its keys and values would pass this (at least one conflict). */
  maxBytes?: number;
}

export interface ConflictSide {
  /** null: removed on that side. */
  value: string | null;
  deviceLastModified: number;
  /** The device ID that wrote this side. */
  modifiedBy: string;
}

export interface StoredConflict {
  dataset: string;
  key: string;
  mine: ConflictSide;
  theirs: ConflictSide & { syncCount: number };
  detectedAt: number;
}

/**
 * What this device holds that the cloud does not (docs/sync-protocol.md, "Pending and unsynced"):
 * `pending` changes — what the next sync sends: records changed here and not waiting on a
 * conflict, plus one for a create or delete of the dataset not yet pushed — and `conflicts`, records
 * changed here that wait for the user. `total` and `changes` are the two together: the unsynced changes.
 */
export interface UnsyncedChanges {
  /** pending + conflicts over every dataset. */
  total: number;
  pending: number;
  conflicts: number;
  /** Per dataset with any: `changes` = pending + conflicts. */
  datasets: { name: string; changes: number; pending: number; conflicts: number; deleted: boolean }[];
}

const SUMMARY_SELECT = `
  SELECT d.name, d.policy, d.last_synced_at, d.header_dirty, d.live_records AS record_count, d.live_bytes AS bytes,
    -- pending (see UnsyncedChanges): the dirty counter (schema version 7) less the conflicts (every
    -- conflict's key is dirty), plus one for a create not yet pushed
    d.dirty_records + d.header_dirty
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
    syncPending: row.pending > 0,
    policy: row.policy,
  };
}

export function listDatasets(ctx: ReadContext, identityId: string): DatasetSummary[] {
  return (ctx.read(`${SUMMARY_SELECT} ORDER BY d.name`).all(identityId) as SummaryRow[]).map(summaryOf);
}

export function datasetSummary(ctx: ReadContext, identityId: string, name: string): DatasetSummary {
  const row = ctx.read(`${SUMMARY_SELECT} AND d.name = ?`).get(identityId, name) as SummaryRow | undefined;
  if (row === undefined) liveDatasetRow(ctx, identityId, name);
  return summaryOf(row as SummaryRow);
}

const MAX_PAGE = 1000;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_CODE_POINT = 0x10ffff;

/**
 * The least text above every text that starts with `prefix`, in SQLite's order for TEXT (the bytes
 * of UTF-8, which is code point order): the prefix with its last code point raised by one, carrying
 * over U+10FFFF and skipping the surrogates, which have no UTF-8 form. undefined when there is none
 * (the prefix is all U+10FFFF): every text from the prefix on starts with it.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix, (char) => char.codePointAt(0) as number);
  while (points.length > 0) {
    const last = (points.pop() as number) + 1;
    if (last > MAX_CODE_POINT) continue;
    points.push(last === 0xd800 ? 0xe000 : last);
    return String.fromCodePoint(...points);
  }
  return undefined;
}

type ListedRow = Pick<RecordDbRow, 'key' | 'value' | 'device_last_modified' | 'dirty' | 'last_modified_by'> & {
  conflicted: 0 | 1;
  value_bytes: number | null;
  value_chars: number | null;
};

export function listRecords(ctx: ReadContext, identityId: string, dataset: string, options: ListRecordsOptions = {}): RecordPage {
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new AppError('IPC_BAD_INPUT', `A page holds 1 to ${MAX_PAGE} records.`);
  }
  const after = options.cursor === undefined ? '' : decodeCursor(options.cursor);
  const prefix = options.prefix ?? '';
  if (LONE_SURROGATE.test(prefix)) {
    throw new AppError('IPC_BAD_INPUT', 'A key prefix must be valid Unicode text (it holds a lone surrogate). Remove that character from the filter.');
  }
  const offset = options.offset ?? 0;
  if (!Number.isSafeInteger(offset) || offset < 0) throw new AppError('IPC_BAD_INPUT', 'A page offset is a whole number of records, 0 or more.');
  const maxBytes = options.maxBytes ?? Infinity;
  const preview = options.previewChars;
  return ctx.snapshot(() => {
    const live = liveDatasetRow(ctx, identityId, dataset);
    // An exact prefix test as an index range: [prefix, the least text above every key with it).
    const upper = prefix === '' ? undefined : prefixUpperBound(prefix);
    const range = `${prefix === '' ? '' : 'AND r.key >= @prefix'} ${upper === undefined ? '' : 'AND r.key < @upper'}`;
    // With a preview, SQLite cuts the value (to code points: at least as many UTF-16 units) so a long
    // value never reaches the JS heap whole; its size is read from the stored bytes.
    const value = preview === undefined ? 'r.value' : 'substr(r.value, 1, @preview)';
    // Past the middle of a whole dataset, a page of previews is read backwards from the end (the
    // dataset's live counter says where that is), so End costs what Home does: an offset walks
    // the index row by row. Only previews: the page is read whole before its byte bound applies.
    const liveRecords = live.live_records;
    const fromEnd = preview !== undefined && prefix === '' && after === '' && offset > liveRecords / 2;
    const fromEndRows = Math.max(0, Math.min(limit, liveRecords - offset));
    const statement = ctx.read(
      `SELECT r.key, ${value} AS value, length(CAST(r.value AS BLOB)) AS value_bytes,
         ${preview === undefined ? 'NULL' : 'length(r.value)'} AS value_chars,
         r.device_last_modified, r.dirty, r.last_modified_by, (c.key IS NOT NULL) AS conflicted
       FROM records r LEFT JOIN conflicts c ON c.identity_id = r.identity_id AND c.dataset = r.dataset AND c.key = r.key
       WHERE r.identity_id = @identityId AND r.dataset = @dataset AND r.deleted = 0 AND r.key > @after ${range}
       ORDER BY r.key ${fromEnd ? 'DESC' : ''} LIMIT @rows OFFSET @offset`,
    );
    const parameters: Record<string, unknown> = { identityId, dataset, after, rows: limit + 1, offset };
    if (fromEnd) Object.assign(parameters, { rows: fromEndRows, offset: liveRecords - offset - fromEndRows });
    if (prefix !== '') parameters.prefix = prefix;
    if (upper !== undefined) parameters.upper = upper;
    if (preview !== undefined) parameters.preview = preview;
    const rows = fromEnd ? [...(statement.iterate(parameters) as IterableIterator<ListedRow>)].reverse() : (statement.iterate(parameters) as IterableIterator<ListedRow>);
    // Row by row, so a page that ends early on bytes never reads the rest of its rows.
    const page: ListedRecord[] = [];
    let bytes = 0;
    let more = false;
    for (const row of rows) {
      const record = listedRecord(row, preview);
      const size = utf8Bytes(record.key) + utf8Bytes(record.value);
      if (page.length === limit || (page.length > 0 && bytes + size > maxBytes)) {
        more = true;
        break;
      }
      page.push(record);
      bytes += size;
    }
    if (fromEnd && !more) more = offset + page.length < liveRecords;
    const last = page.at(-1);
    const result: RecordPage = { records: page, nextCursor: more && last !== undefined ? encodeCursor(last.key) : null };
    if (options.count) {
      // The dataset's counter when nothing narrows the list; otherwise a count over the key range.
      result.total =
        prefix === '' && after === ''
          ? live.live_records
          : (
              ctx
                .read(`SELECT count(*) AS total FROM records r WHERE r.identity_id = @identityId AND r.dataset = @dataset AND r.deleted = 0 AND r.key > @after ${range}`)
                .get(countParameters(parameters)) as { total: number }
            ).total;
    }
    return result;
  });
}

function countParameters(parameters: Record<string, unknown>): Record<string, unknown> {
  const { rows: _rows, offset: _offset, preview: _preview, ...rest } = parameters;
  return rest;
}

function listedRecord(row: ListedRow, preview: number | undefined): ListedRecord {
  let value = row.value ?? '';
  let truncated = false;
  if (preview !== undefined && (value.length > preview || (row.value_chars ?? 0) > preview)) {
    truncated = true;
    value = value.slice(0, preview);
    // Never half a surrogate pair: the preview would not be valid Unicode.
    if (/[\uD800-\uDBFF]$/.test(value)) value = value.slice(0, -1);
  }
  return {
    key: row.key,
    value,
    valueBytes: row.value_bytes ?? 0,
    truncated,
    modifiedAt: row.device_last_modified,
    pending: row.dirty === 1,
    conflicted: row.conflicted === 1,
    lastModifiedBy: row.last_modified_by,
  };
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
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

export function getRecord(ctx: ReadContext, identityId: string, dataset: string, key: string): RecordView | undefined {
  // One statement, no transaction: the dataset check and the record are one snapshot anyway.
  const row = ctx
    .read(
      `SELECT d.deleted AS dataset_deleted, r.key, r.value, r.deleted, r.device_last_modified, r.dirty, r.last_modified_by,
         EXISTS (SELECT 1 FROM conflicts c WHERE c.identity_id = d.identity_id AND c.dataset = d.name AND c.key = @key) AS conflicted
       FROM datasets d LEFT JOIN records r ON r.identity_id = d.identity_id AND r.dataset = d.name AND r.key = @key
       WHERE d.identity_id = @identityId AND d.name = @dataset`,
    )
    .get({ identityId, dataset, key }) as
    | {
        dataset_deleted: 0 | 1;
        key: string | null;
        value: string | null;
        deleted: 0 | 1 | null;
        device_last_modified: number;
        dirty: 0 | 1;
        last_modified_by: string;
        conflicted: 0 | 1;
      }
    | undefined;
  if (row === undefined || row.dataset_deleted === 1) liveDatasetRow(ctx, identityId, dataset);
  if (row === undefined || row.key === null || row.deleted !== 0 || row.value === null) return undefined;
  return {
    key: row.key,
    value: row.value,
    modifiedAt: row.device_last_modified,
    pending: row.dirty === 1,
    conflicted: row.conflicted === 1,
    lastModifiedBy: row.last_modified_by,
  };
}

export function listConflicts(ctx: ReadContext, identityId: string, dataset?: string, options: ListConflictsOptions = {}): StoredConflict[] {
  const maxBytes = options.maxBytes ?? Infinity;
  const statement = ctx
    .read(
      `SELECT c.*, r.value AS local_value, r.deleted AS local_deleted, r.device_last_modified AS local_device_last_modified,
         r.last_modified_by AS local_last_modified_by
       FROM conflicts c JOIN records r ON r.identity_id = c.identity_id AND r.dataset = c.dataset AND r.key = c.key
       WHERE c.identity_id = ? AND (? IS NULL OR c.dataset = ?) ORDER BY c.dataset, c.key`,
    );
  type Row = ConflictRow & {
    dataset: string;
    local_value: string | null;
    local_deleted: 0 | 1;
    local_device_last_modified: number;
    local_last_modified_by: string;
  };
  // Row by row, so a bounded list never reads the rows past its bound.
  const rows: Row[] = [];
  let bytes = 0;
  for (const row of statement.iterate(identityId, dataset ?? null, dataset ?? null) as IterableIterator<Row>) {
    const size = utf8Bytes(row.key) + utf8Bytes(row.local_value ?? '') + utf8Bytes(row.remote_value ?? '');
    if (rows.length > 0 && bytes + size > maxBytes) break;
    rows.push(row);
    bytes += size;
  }
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
export function unsyncedChanges(ctx: ReadContext, identityId: string): UnsyncedChanges {
  const rows = ctx
    .read(
      // The dirty counter (schema version 7), kept with every write: no walk over the records.
      `SELECT d.name, d.deleted, d.header_dirty, d.dirty_records AS dirty,
         (SELECT count(*) FROM conflicts c WHERE c.identity_id = d.identity_id AND c.dataset = d.name) AS conflicts
       FROM datasets d WHERE d.identity_id = ? ORDER BY d.name`,
    )
    .all(identityId) as { name: string; deleted: 0 | 1; header_dirty: 0 | 1; dirty: number; conflicts: number }[];
  const datasets = rows
    .map((row) => {
      const pending = pendingChangesOf(row.dirty - row.conflicts, row.header_dirty === 1);
      return { name: row.name, changes: pending + row.conflicts, pending, conflicts: row.conflicts, deleted: row.deleted === 1 };
    })
    .filter((row) => row.changes > 0);
  const sum = (field: 'changes' | 'pending' | 'conflicts') => datasets.reduce((total, row) => total + row[field], 0);
  return { total: sum('changes'), pending: sum('pending'), conflicts: sum('conflicts'), datasets };
}

export function workOffline(ctx: ReadContext): boolean {
  const row = ctx.read("SELECT value FROM profile_settings WHERE name = 'workOffline'").get() as { value: string } | undefined;
  return row?.value === 'true';
}
