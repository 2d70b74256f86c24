// The sync engine: the steps of sync-protocol.md between the local store and the user's partition
// of the table. Each step is a module-level function over a SyncContext, readable and testable
// alone; createSyncEngine only adds what needs state: one sync per dataset at a time, the status
// the status bar shows, and its subscribers.
import * as remote from '../aws/dataset-table';
import { conflictRetriesExhausted } from '../aws/dynamodb-errors';
import { createRepeatLog, silentLogger, type Logger } from '../platform/log';
import { offline } from '../platform/network-failure';
import { AppError, isAppError, toAppErrorView, type AppErrorView } from '../../shared/errors';
import type { DatasetStore, DatasetSyncState, PullResult, RemoteRecord } from './dataset-store';
import { syncStatusOf, type DatasetWarning, type SyncStatus, type UnsupportedDataset } from './sync-status';

export type { DatasetStatus, DatasetWarning, SyncStatus, UnsupportedDataset } from './sync-status';

/** Commit attempts per dataset and sync before giving up (the changes stay dirty for the next sync). */
export const DEFAULT_MAX_ATTEMPTS = 8;
// Added per record by pendingChanges so its byte budget matches the item sizes DynamoDB counts.
const ITEM_OVERHEAD_BYTES = remote.recordItemBytes('', { key: '', value: '', deviceLastModified: 0 });

export interface SyncContext {
  store: DatasetStore;
  table: remote.DatasetTable;
  identityId: string;
  deviceId: string;
  now(): number;
  log: Logger;
  /** Told how many records a step has done, and how many more it found to do. */
  progress(dataset: string, done: number, found?: number): void;
  /** What one commit may hold (the default: DynamoDB's limits, the request counted as sent). */
  budget?: remote.CommitBudget;
  /** Told of each remote item skipped as malformed: it never reaches the store. */
  malformed?(item: remote.MalformedItem): void;
}

export interface Backoff {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
  random(): number;
  sleep(ms: number): Promise<void>;
}

export interface DatasetSyncResult {
  dataset: string;
  pulled: number;
  pushed: number;
  /** Commits that found another device had committed first (each one pulled, merged and retried). */
  conflictingCommits: number;
  /** Keys now waiting for the user under the manual policy. */
  conflicts: string[];
  /** What a remote delete or re-create did to this copy (see PullResult.remoteReset). */
  remoteReset: PullResult['remoteReset'];
  /** Remote items skipped as malformed (see remote.MalformedItem). */
  skipped: number;
  error?: AppErrorView;
}

const toMergeRecord = (record: remote.RemoteRecord): RemoteRecord => ({
  key: record.key,
  value: record.value ?? null,
  syncCount: record.syncCount,
  deviceLastModified: record.deviceLastModified,
  lastModifiedBy: record.lastModifiedBy,
});

/** Whether the header says something this copy has not merged yet. */
export function headerMoved(header: remote.RemoteHeader | undefined, state: DatasetSyncState | undefined): boolean {
  if (header === undefined) return false;
  return state === undefined || header.syncCount !== state.lastSyncCount;
}

/** Whether this copy holds something the remote does not: dirty records, a create, a delete. */
export function hasLocalChanges(state: DatasetSyncState | undefined): boolean {
  return state !== undefined && (state.pendingRecords > 0 || state.headerPending || state.deletePending);
}

/**
 * Pull: the records committed since this copy's S (all of the header's generation when S counts in
 * another generation, or when this copy, deleted here, holds nothing), merged in ONE store
 * transaction, after which S = the header's syncCount.
 */
export async function pullChanges(ctx: SyncContext, dataset: string, header: remote.RemoteHeader): Promise<PullResult> {
  const state = ctx.store.syncState(ctx.identityId, dataset);
  const holdsNothing = state?.deleted === true && !state.deletePending;
  const sameGeneration = state !== undefined && !holdsNothing && state.syncedGeneration === header.generation;
  // A copy re-created here in a newer generation keeps its own records, and a delete waiting here
  // replaces the remote: nothing to read. (A delete already pushed has no generation of its own left.)
  const skipRecords = header.deleted || (state !== undefined && (state.deletePending || (!state.deleted && state.generation > header.generation)));
  const records = skipRecords
    ? []
    : await remote.pullChanges(
        ctx.table,
        dataset,
        { after: sameGeneration ? state.lastSyncCount : 0, through: header.syncCount, generation: header.generation },
        (count) => ctx.progress(dataset, count, count),
        ctx.malformed,
      );
  return ctx.store.applyPull(ctx.identityId, dataset, {
    header: { syncCount: header.syncCount, generation: header.generation, deleted: header.deleted },
    records: records.map(toMergeRecord),
  });
}

/** `replacedGeneration`: the commits wrote a newer generation than the header's, whose items are now stale. */
export type CommitStep = { outcome: 'done'; pushed: number; replacedGeneration?: number } | { outcome: 'conflict'; pushed: number };

/**
 * Push: the dirty records in commits of at most 99 records and 4 MB, each ONE TransactWriteItems
 * conditioned on the header's syncCount; a delete as one conditional header update. Each landed
 * commit is recorded at once, so a crash after it loses nothing and repeats nothing.
 */
export async function commitChanges(ctx: SyncContext, dataset: string, header: remote.RemoteHeader | undefined): Promise<CommitStep> {
  let state = ctx.store.syncState(ctx.identityId, dataset);
  if (state === undefined) return { outcome: 'done', pushed: 0 };
  if (state.deletePending) return commitDatasetDelete(ctx, dataset, state, header);

  let pushed = 0;
  let landed = false;
  let afterKey: string | undefined;
  const budget = ctx.budget ?? remote.DEFAULT_COMMIT_BUDGET;
  // Lowered when the service refuses a commit as too large: the next one is half its size, so the
  // same commit is never sent again as it was (our size estimate was wrong, or the limits moved).
  let maxRecords = budget.maxRecords;
  // Each dirty record goes at most once per sync (afterKey walks forward), so a user writing
  // all the time cannot keep one sync going for ever; what they write meanwhile stays dirty.
  for (;;) {
    const batch = ctx.store.pendingChanges(ctx.identityId, dataset, {
      maxRecords,
      maxBytes: remote.MAX_COMMIT_BYTES - 64 * 1024,
      overheadBytesPerRecord: ITEM_OVERHEAD_BYTES + 2 * Buffer.byteLength(dataset),
      afterKey,
    });
    if (batch === undefined) break;
    state = batch.state;
    if (batch.records.length === 0 && !state.headerPending) break;
    const all = batch.records.map((record) => ({ key: record.key, value: record.value ?? undefined, deviceLastModified: record.deviceLastModified }));
    // The store fills a batch by UTF-8 bytes; the request is JSON, where a control character
    // takes six bytes: the commit is as many records as fit both.
    const fit = remote.commitPrefix(dataset, all, { ...budget, maxRecords });
    const records = batch.records.slice(0, fit);
    let outcome: remote.CommitOutcome;
    try {
      outcome = await remote.commitChanges(ctx.table, {
        dataset,
        syncCount: state.lastSyncCount,
        generation: state.generation,
        records: all.slice(0, fit),
        deviceId: ctx.deviceId,
        now: ctx.now(),
        counters: { recordCount: state.recordCount, sizeBytes: state.bytes },
      });
    } catch (error) {
      if (!(isAppError(error) && error.code === 'SYNC_COMMIT_TOO_LARGE' && fit > 1)) throw error;
      maxRecords = Math.floor(fit / 2);
      ctx.log.warn('the service refused a commit as too large; sending smaller ones', { records: fit, next: maxRecords });
      continue;
    }
    if (!outcome.committed) return { outcome: 'conflict', pushed };
    landed = true;
    ctx.store.markCommitted(
      ctx.identityId,
      dataset,
      outcome.syncCount,
      state.generation,
      records.map((record) => ({ key: record.key, localVersion: record.localVersion })),
    );
    pushed += records.length;
    ctx.progress(dataset, records.length);
    if (!batch.more && fit === batch.records.length) break;
    afterKey = records.at(-1)?.key;
  }
  // Only once a commit of the newer generation has landed are the older items stale for everyone.
  const replaced = landed && header !== undefined && state.generation > header.generation;
  return { outcome: 'done', pushed, ...(replaced ? { replacedGeneration: state.generation } : {}) };
}

/**
 * Pushes a delete made here at S (this copy's last_sync_count, which a pending delete never moves).
 * Improves on "the delete wins": records other devices committed after S were never seen here, so
 * deleting them would lose writes no one chose to lose. Then ONE commit starts a new generation
 * holding only those records — the deleted ones never come back, the concurrent ones stay.
 */
async function commitDatasetDelete(
  ctx: SyncContext,
  dataset: string,
  state: DatasetSyncState,
  header: remote.RemoteHeader | undefined,
): Promise<CommitStep> {
  const deletedAt = state.lastSyncCount;
  // syncDataset settles such a delete before its pull; this guard narrows `header` and keeps
  // commitChanges safe for a caller that did not.
  if (!deletesRemoteCopy(state, header)) {
    ctx.store.markDeletePushed(ctx.identityId, dataset, deletedAt, state.syncedGeneration);
    return { outcome: 'done', pushed: 0 };
  }
  const concurrent =
    header.syncCount === deletedAt
      ? []
      : (
          await remote.pullChanges(ctx.table, dataset, { after: deletedAt, through: header.syncCount, generation: header.generation }, undefined, ctx.malformed)
        ).filter((record) => !record.deleted);
  const keep = concurrent.map((record) => ({ key: record.key, value: record.value, deviceLastModified: record.deviceLastModified }));
  const fits = keep.length > 0 && remote.splitIntoCommits(dataset, keep, ctx.budget).length === 1;
  if (keep.length > 0 && !fits) ctx.log.warn('too many concurrent changes to keep across a delete in one commit; the delete wins', { records: keep.length });
  const outcome = fits
    ? await remote.commitChanges(ctx.table, {
        dataset,
        syncCount: header.syncCount,
        generation: header.generation + 1,
        records: keep,
        deviceId: ctx.deviceId,
        now: ctx.now(),
        counters: { recordCount: keep.length, sizeBytes: keep.reduce((sum, each) => sum + Buffer.byteLength(each.key) + Buffer.byteLength(each.value ?? ''), 0) },
      })
    : await remote.commitDelete(ctx.table, { dataset, syncCount: header.syncCount, generation: header.generation, deviceId: ctx.deviceId, now: ctx.now() });
  if (!outcome.committed) return { outcome: 'conflict', pushed: 0 };
  // Re-created: S stays at the delete, so the next pull takes the new generation from its start.
  ctx.store.markDeletePushed(ctx.identityId, dataset, fits ? deletedAt : outcome.syncCount, header.generation);
  await purgeQuietly(ctx, { ...header, syncCount: outcome.syncCount, ...(fits ? { generation: header.generation + 1 } : { deleted: true }) });
  return { outcome: 'done', pushed: 0 };
}

/**
 * Whether a delete made here has something on the remote to delete: the generation this copy saw is
 * still there. Not when the dataset never reached the remote, was never seen from it (S = 0), is
 * already deleted there, or was re-created since in a generation this copy never saw. The
 * generation compared is the one S counts in, not the local one, which a re-create here moved
 * ahead (delete, re-create, delete must still delete what this copy saw).
 */
function deletesRemoteCopy(state: DatasetSyncState, header: remote.RemoteHeader | undefined): header is remote.RemoteHeader {
  return header !== undefined && !header.deleted && state.lastSyncCount > 0 && header.generation === state.syncedGeneration;
}

/** Removing a deleted generation's items is housekeeping: a failure is logged, and any device retries it. */
async function purgeQuietly(ctx: SyncContext, header: remote.RemoteHeader): Promise<void> {
  try {
    const removed = await remote.purgeDeletedRecords(ctx.table, header);
    if (removed > 0) ctx.log.debug('removed the items of a deleted generation', { removed });
  } catch (error) {
    ctx.log.warn('removing the items of a deleted generation failed; a later sync retries', { code: (error as AppError).code });
  }
}

/** Records of the header's generation this copy never saw: after S in the generation S counts in, else all. */
function unseenSince(state: DatasetSyncState, header: remote.RemoteHeader): number {
  return header.generation === state.syncedGeneration ? state.lastSyncCount : 0;
}

/** Deleted and re-created here (a newer generation) while others committed what this copy never saw. */
function isRecreatedHere(state: DatasetSyncState, header: remote.RemoteHeader): boolean {
  return state.headerPending && !header.deleted && state.generation > header.generation && header.syncCount > unseenSince(state, header);
}

/**
 * A dataset deleted and re-created here replaces the remote copy — but records other devices
 * committed after this copy's S were never seen here, so they move into the new generation in ONE
 * commit, and are then merged here under the dataset's policy (a conflict with a record written
 * here after the re-create is a conflict like any other). Undefined: another commit came first.
 */
async function keepConcurrentAcrossRecreate(
  ctx: SyncContext,
  dataset: string,
  state: DatasetSyncState,
  header: remote.RemoteHeader,
): Promise<{ header: remote.RemoteHeader; pulled: PullResult } | undefined> {
  const concurrent = (
    await remote.pullChanges(
      ctx.table,
      dataset,
      { after: unseenSince(state, header), through: header.syncCount, generation: header.generation },
      undefined,
      ctx.malformed,
    )
  ).filter((record) => !record.deleted);
  const keep = concurrent.map((record) => ({ key: record.key, value: record.value, deviceLastModified: record.deviceLastModified }));
  if (keep.length === 0 || remote.splitIntoCommits(dataset, keep, ctx.budget).length !== 1) {
    if (keep.length > 0) ctx.log.warn('too many concurrent changes to keep across a re-create in one commit; the re-create wins', { records: keep.length });
    return { header, pulled: emptyPull() };
  }
  const outcome = await remote.commitChanges(ctx.table, {
    dataset,
    syncCount: header.syncCount,
    generation: state.generation,
    records: keep,
    deviceId: ctx.deviceId,
    now: ctx.now(),
  });
  if (!outcome.committed) return undefined;
  const moved: remote.RemoteHeader = { ...header, syncCount: outcome.syncCount, generation: state.generation, deleted: false };
  // As a pull of that commit, with each record's own writer, so lastWriterWins compares the real writes.
  const pulled = ctx.store.applyPull(ctx.identityId, dataset, {
    header: { syncCount: moved.syncCount, generation: moved.generation, deleted: false },
    records: concurrent.map((record) => toMergeRecord({ ...record, syncCount: outcome.syncCount })),
  });
  await purgeQuietly(ctx, moved);
  return { header: moved, pulled };
}

function emptyPull(): PullResult {
  return { taken: 0, keptLocal: 0, resolvedByPolicy: 0, conflicts: [], ignored: 0, appeared: false, remoteReset: null };
}

/**
 * The table has no header for a dataset this copy has synced before (the table was replaced): a
 * commit conditioned on the old syncCount could never land, so this copy starts again from 0.
 */
function forgetLostRemote(ctx: SyncContext, dataset: string): void {
  const state = ctx.store.syncState(ctx.identityId, dataset);
  // A copy deleted here has nothing to commit again: it stays deleted.
  if (state === undefined || state.lastSyncCount === 0 || state.deleted) return;
  ctx.log.warn('the table has no header for a dataset synced before; committing it again from syncCount 0');
  ctx.store.applyPull(ctx.identityId, dataset, { header: { syncCount: 0, generation: state.generation, deleted: false }, records: [] });
}

/** Full jitter: a random wait up to base·2^attempt, so devices that collided do not collide again. */
export function backoffDelay(attempt: number, backoff: Pick<Backoff, 'baseMs' | 'maxMs' | 'random'>): number {
  return Math.floor(backoff.random() * Math.min(backoff.maxMs, backoff.baseMs * 2 ** attempt));
}

/** The header Query found the dataset's header malformed (see remote.remoteDamaged). */
export const DAMAGED = 'damaged';

/**
 * The remote header is damaged: nothing is read or written there. A delete waiting here is done
 * here only (the remote copy is left alone, as for any dataset this app does not sync); anything
 * else fails with SYNC_REMOTE_DAMAGED and stays here.
 */
function leaveDamagedAlone(ctx: SyncContext, dataset: string): void {
  const state = ctx.store.syncState(ctx.identityId, dataset);
  if (state?.deletePending !== true) throw remote.remoteDamaged();
  ctx.store.markDeletePushed(ctx.identityId, dataset, state.lastSyncCount, state.syncedGeneration);
}

/**
 * One dataset: pull what moved, push what is dirty; a conflicting commit means pull, merge and
 * retry, at most `backoff.maxAttempts` times. `knownHeader` (from the one header Query) saves the
 * first GetItem; `null` says the Query found no header, DAMAGED a malformed one.
 */
export async function syncDataset(
  outer: SyncContext,
  dataset: string,
  knownHeader: remote.RemoteHeader | null | undefined | typeof DAMAGED,
  backoff: Backoff,
): Promise<DatasetSyncResult> {
  const result: DatasetSyncResult = { dataset, pulled: 0, pushed: 0, conflictingCommits: 0, conflicts: [], remoteReset: null, skipped: 0 };
  const ctx: SyncContext = {
    ...outer,
    malformed: (item) => {
      result.skipped += 1;
      outer.malformed?.(item);
    },
  };
  if (knownHeader === DAMAGED) {
    leaveDamagedAlone(ctx, dataset);
    return result;
  }
  let header = knownHeader === null ? undefined : knownHeader;
  for (let attempt = 1; attempt <= backoff.maxAttempts; attempt += 1) {
    if (attempt > 1 || knownHeader === undefined) {
      try {
        header = await remote.getHeader(ctx.table, dataset);
      } catch (error) {
        if (!(isAppError(error) && error.code === 'SYNC_REMOTE_DAMAGED')) throw error;
        leaveDamagedAlone(ctx, dataset);
        return result;
      }
    }
    let before = ctx.store.syncState(ctx.identityId, dataset);
    if (before?.deletePending === true && !deletesRemoteCopy(before, header)) {
      // Nothing the remote holds is this copy's to delete: the delete is done here, and whatever the
      // remote holds (created or re-created elsewhere) arrives in this same sync.
      ctx.store.markDeletePushed(ctx.identityId, dataset, before.lastSyncCount, before.syncedGeneration);
      before = ctx.store.syncState(ctx.identityId, dataset);
    }
    if (header !== undefined && before !== undefined && isRecreatedHere(before, header)) {
      const kept = await keepConcurrentAcrossRecreate(ctx, dataset, before, header);
      if (kept === undefined) {
        result.conflictingCommits += 1;
        if (attempt < backoff.maxAttempts) await backoff.sleep(backoffDelay(attempt, backoff));
        continue;
      }
      header = kept.header;
      result.conflicts = [...new Set([...result.conflicts, ...kept.pulled.conflicts])];
    }
    // A delete waiting here is pushed against what this copy last saw (see commitDatasetDelete).
    if (headerMoved(header, before) && before?.deletePending !== true) {
      const pulled = await pullChanges(ctx, dataset, header!);
      result.pulled += pulled.taken + pulled.resolvedByPolicy;
      result.conflicts = [...new Set([...result.conflicts, ...pulled.conflicts])];
      result.remoteReset = pulled.remoteReset ?? result.remoteReset;
    }
    if (header === undefined) forgetLostRemote(ctx, dataset);
    const step = await commitChanges(ctx, dataset, header);
    result.pushed += step.pushed;
    if (step.outcome === 'done') {
      if (step.replacedGeneration !== undefined && header !== undefined) {
        await purgeQuietly(ctx, { ...header, generation: step.replacedGeneration, deleted: false });
      }
      return result;
    }
    result.conflictingCommits += 1;
    ctx.log.info('another device committed first; pulling and retrying', { attempt });
    if (attempt < backoff.maxAttempts) await backoff.sleep(backoffDelay(attempt, backoff));
  }
  throw conflictRetriesExhausted(backoff.maxAttempts);
}

/** At most this many unsupported datasets are listed in the status (the rest are only counted in the log). */
const MAX_UNSUPPORTED_LISTED = 50;

/**
 * Which datasets a sync must visit: those whose header moved, and those with local changes; and
 * which the cloud holds that this device leaves alone. A header whose name the app refuses is never
 * created here; a malformed header is DAMAGED when this device has a copy of the dataset (whose
 * status then says so), else left alone too.
 */
export function datasetsToSync(headers: readonly remote.RemoteHeader[], states: readonly DatasetSyncState[], malformed: readonly remote.MalformedItem[] = []) {
  const byName = new Map(states.map((state) => [state.name, state]));
  const unsupported: UnsupportedDataset[] = [];
  const damaged = new Set<string>();
  for (const header of headers) if (remote.unsupportedName(header.dataset)) unsupported.push({ name: header.dataset, reason: 'name' });
  for (const item of malformed) {
    const state = byName.get(item.dataset);
    if (remote.unsupportedName(item.dataset)) unsupported.push({ name: item.dataset, reason: 'name' });
    else if (state !== undefined && (!state.deleted || state.deletePending)) damaged.add(item.dataset);
    else unsupported.push({ name: item.dataset, reason: 'damaged' });
  }
  const headerByName = new Map(headers.filter((header) => !remote.unsupportedName(header.dataset)).map((header) => [header.dataset, header]));
  const names = [...new Set([...headerByName.keys(), ...byName.keys(), ...damaged])].sort();
  const visit: { dataset: string; header: remote.RemoteHeader | null | typeof DAMAGED }[] = [];
  const unchanged: string[] = [];
  for (const dataset of names) {
    const header = headerByName.get(dataset);
    const state = byName.get(dataset);
    if (damaged.has(dataset)) visit.push({ dataset, header: DAMAGED });
    else if (headerMoved(header, state) || hasLocalChanges(state)) visit.push({ dataset, header: header ?? null });
    else if (state !== undefined && !state.deleted) unchanged.push(dataset);
  }
  return { visit, unchanged, unsupported };
}

/** A name fit for the status: whole characters, at most 64 of them. */
function shownName(name: string): string {
  const characters = Array.from(name);
  return characters.length <= 64 ? name : `${characters.slice(0, 63).join('')}…`;
}

function warningOf(skippedItems: number): DatasetWarning {
  return {
    skippedItems,
    message: `${skippedItems === 1 ? '1 item' : `${skippedItems} items`} of this dataset in the cloud ${skippedItems === 1 ? 'was' : 'were'} malformed (not written by this app as it should be) and skipped; everything else synced.`,
  };
}

// ——— the engine: state, status, one sync per dataset ———

export interface SyncReport {
  datasets: DatasetSyncResult[];
}

export interface SyncEngineOptions {
  store: DatasetStore;
  table: remote.DatasetTable;
  deviceId: string;
  /** False when the machine is offline or "Work offline" is on: then no request at all. */
  isOnline(): boolean;
  now?: () => number;
  log?: Logger;
  backoff?: Partial<Backoff>;
  /** What one commit may hold (tests lower or raise it); DynamoDB's limits by default. */
  commitBudget?: Partial<remote.CommitBudget>;
}

export interface SyncEngine {
  /** ONE header Query, then only the datasets that moved or have local changes. OFFLINE when offline. */
  syncAll(): Promise<SyncReport>;
  /** One dataset, now (its header by GetItem). */
  syncDataset(dataset: string): Promise<DatasetSyncResult>;
  status(): SyncStatus;
  /** Calls `listener` whenever the status changes; returns the unsubscribe. */
  subscribe(listener: (status: SyncStatus) => void): () => void;
  /** True while any sync of this engine is under way. */
  busy(): boolean;
  /** Waits for every sync under way (for sign-out and shutdown). */
  idle(): Promise<void>;
  close(): void;
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { store, table } = options;
  const identityId = table.identityId;
  const log = (options.log ?? silentLogger).child('sync');
  const backoff: Backoff = {
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    baseMs: 100,
    maxMs: 3_000,
    random: Math.random,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    ...options.backoff,
  };
  const listeners = new Set<(status: SyncStatus) => void>();
  // One chain per dataset: a sync of a dataset starts only when the previous one has finished.
  const locks = new Map<string, Promise<unknown>>();
  const syncing = new Map<string, { done: number; total: number }>();
  const errors = new Map<string, AppErrorView>();
  // A dataset failing the same way every 15 s is logged once, then counted (the log holds 1 MiB).
  const repeats = createRepeatLog(log, { now: options.now });
  // Remote items skipped as malformed, per dataset, since the engine started: the status shows them.
  const warnings = new Map<string, DatasetWarning>();
  // Skipped during the sync under way, logged once when it ends: per problem, how many.
  const skippedNow = new Map<string, Map<string, number>>();
  let unsupported: UnsupportedDataset[] = [];
  // Unsupported datasets already logged: a header read every sync is logged when it first appears.
  const loggedUnsupported = new Set<string>();
  let overallError: AppErrorView | undefined;
  let allInFlight: Promise<SyncReport> | undefined;
  let allQueued: Promise<SyncReport> | undefined;
  let closed = false;

  const ctx: SyncContext = {
    store,
    table,
    identityId,
    deviceId: options.deviceId,
    now: options.now ?? Date.now,
    log,
    progress(dataset, done, found = 0) {
      const current = syncing.get(dataset);
      if (current === undefined) return;
      current.done += done;
      current.total += found;
      publish();
    },
    budget: { ...remote.DEFAULT_COMMIT_BUDGET, ...options.commitBudget },
    malformed(item) {
      warnings.set(item.dataset, warningOf((warnings.get(item.dataset)?.skippedItems ?? 0) + 1));
      const problems = skippedNow.get(item.dataset) ?? new Map<string, number>();
      skippedNow.set(item.dataset, problems);
      problems.set(item.problem, (problems.get(item.problem) ?? 0) + 1);
    },
  };

  /** One line per dataset sync that skipped items, however many: by problem, never a key or value. */
  function logSkipped(dataset: string): void {
    const problems = skippedNow.get(dataset);
    if (problems === undefined) return;
    skippedNow.delete(dataset);
    const skipped = [...problems.values()].reduce((sum, count) => sum + count, 0);
    log.warn('skipped malformed items of a dataset in the cloud', { skipped, problems: Object.fromEntries([...problems].slice(0, 10)) });
  }

  function noteUnsupported(found: UnsupportedDataset[]): void {
    const fresh = found.filter((each) => !loggedUnsupported.has(`${each.reason}:${each.name}`));
    for (const each of fresh) loggedUnsupported.add(`${each.reason}:${each.name}`);
    if (fresh.length > 0) {
      log.warn('the cloud holds datasets this app leaves alone (a name it refuses, or a damaged header)', {
        names: fresh.filter((each) => each.reason === 'name').length,
        damaged: fresh.filter((each) => each.reason === 'damaged').length,
      });
    }
    const byName = new Map<string, UnsupportedDataset>();
    for (const each of found) byName.set(shownName(each.name), { ...each, name: shownName(each.name) });
    unsupported = [...byName.values()].slice(0, MAX_UNSUPPORTED_LISTED);
  }

  function publish(): void {
    if (listeners.size === 0 || closed) return;
    const snapshot = status();
    for (const listener of listeners) listener(snapshot);
  }

  // A local write changes "N changes pending" too; writes in a burst are told once.
  let publishQueued = false;
  const stopStore = store.subscribe((event) => {
    if (event.type !== 'workOfflineChanged' && event.identityId !== identityId) return;
    if (publishQueued) return;
    publishQueued = true;
    setImmediate(() => {
      publishQueued = false;
      publish();
    });
  });

  function status(): SyncStatus {
    return syncStatusOf(store.listSyncStates(identityId), { online: options.isOnline(), syncing, errors, overallError, warnings, unsupported });
  }

  function withLock<T>(dataset: string, run: () => Promise<T>): Promise<T> {
    const previous = locks.get(dataset) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(run);
    const settled = next.catch(() => undefined);
    locks.set(dataset, settled);
    void settled.then(() => {
      if (locks.get(dataset) === settled) locks.delete(dataset);
    });
    return next;
  }

  async function syncOne(dataset: string, header: remote.RemoteHeader | null | undefined | typeof DAMAGED): Promise<DatasetSyncResult> {
    return withLock(dataset, async () => {
      const state = store.syncState(identityId, dataset);
      syncing.set(dataset, { done: 0, total: state?.pendingRecords ?? 0 });
      publish();
      try {
        const result = await syncDataset(ctx, dataset, header, backoff);
        errors.delete(dataset);
        repeats.ended(dataset);
        return result;
      } catch (error) {
        const view = toAppErrorView(error);
        errors.set(dataset, view);
        if (view.code === 'INTERNAL') repeats.failed(dataset, view.code, 'error', 'a dataset sync failed', { error });
        else repeats.failed(dataset, view.code, 'warn', 'a dataset sync failed', { code: view.code });
        throw error;
      } finally {
        logSkipped(dataset);
        syncing.delete(dataset);
        publish();
      }
    });
  }

  async function runAll(): Promise<SyncReport> {
    if (closed || !options.isOnline()) {
      publish();
      throw offline();
    }
    let headers: remote.RemoteHeader[];
    const malformed: remote.MalformedItem[] = [];
    try {
      headers = await remote.queryHeaders(table, (item) => malformed.push(item));
      overallError = undefined;
    } catch (error) {
      overallError = toAppErrorView(error);
      publish();
      throw error;
    }
    const found = datasetsToSync(headers, store.listSyncStates(identityId), malformed);
    const { visit, unchanged } = found;
    noteUnsupported(found.unsupported);
    store.noteSynced(identityId, unchanged);
    const report: SyncReport = { datasets: [] };
    for (const { dataset, header } of visit) {
      if (closed || !options.isOnline()) break;
      try {
        report.datasets.push(await syncOne(dataset, header));
      } catch (error) {
        report.datasets.push({
          dataset,
          pulled: 0,
          pushed: 0,
          conflictingCommits: 0,
          conflicts: [],
          remoteReset: null,
          skipped: 0,
          error: toAppErrorView(error),
        });
      }
    }
    // A delete done here of a damaged copy leaves that copy to the unsupported list at once.
    noteUnsupported(datasetsToSync(headers, store.listSyncStates(identityId), malformed).unsupported);
    publish();
    return report;
  }

  function syncAll(): Promise<SyncReport> {
    // A request while one runs is served by ONE follow-up run, however many arrive meanwhile.
    if (allInFlight === undefined) {
      allInFlight = runAll().finally(() => {
        allInFlight = undefined;
      });
      return allInFlight;
    }
    allQueued ??= allInFlight
      .catch(() => undefined)
      .then(() => {
        allQueued = undefined;
        return syncAll();
      });
    return allQueued;
  }

  return {
    syncAll,
    syncDataset(dataset) {
      if (closed || !options.isOnline()) return Promise.reject(offline());
      return syncOne(dataset, undefined);
    },
    status,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    busy: () => allInFlight !== undefined || syncing.size > 0,
    async idle() {
      await Promise.all([allQueued, allInFlight, ...locks.values()].map((each) => each?.catch(() => undefined)));
    },
    close() {
      closed = true;
      stopStore();
      listeners.clear();
    },
  };
}
