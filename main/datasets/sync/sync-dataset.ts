// One dataset's sync: attempts, each of which reads the header, asks lifecycle.ts what to do with
// this copy, and carries the steps out; a commit another device beat means read, merge and try
// again, at most `backoff.maxAttempts` times.
import * as remote from '../../aws/dataset-table';
import { conflictRetriesExhausted } from '../../aws/dynamodb-errors';
import { isAppError } from '../../../shared/errors';
import { DAMAGED, decideAttempt, headerMoved } from '../lifecycle';
import type { DatasetSyncState, PullResult } from '../store/sync-storage';
import { backoffDelay, type Backoff } from './backoff';
import { commitChanges } from './commit-changes';
import { pullChanges } from './pull-changes';
import { purgeQuietly } from './purge-stale-items';
import { pushDelete } from './push-delete';
import { recreateKeepingConcurrent } from './recreate-keeping-concurrent';
import { forgetLostRemote, leaveDamagedAlone, settleDeleteLocally } from './settle-here';
import { emptyResult, type DatasetSyncResult, type SyncContext } from './sync-context';

type KnownHeader = remote.RemoteHeader | undefined | typeof DAMAGED;
type Attempt = 'done' | 'recreateBeaten' | 'commitBeaten' | 'copyChanged';

/**
 * `knownHeader` (from the one header Query) saves the first GetItem; `null` says the Query found no
 * header, DAMAGED a malformed one.
 */
export async function syncDataset(
  outer: SyncContext,
  dataset: string,
  knownHeader: remote.RemoteHeader | null | undefined | typeof DAMAGED,
  backoff: Backoff,
): Promise<DatasetSyncResult> {
  const result = emptyResult(dataset);
  const ctx: SyncContext = {
    ...outer,
    malformed: (item) => {
      result.skipped += 1;
      outer.malformed?.(item);
    },
  };
  let header: KnownHeader = knownHeader === null ? undefined : knownHeader;
  for (let attempt = 1; attempt <= backoff.maxAttempts; attempt += 1) {
    if (attempt > 1 || knownHeader === undefined) header = await readHeader(ctx, dataset);
    const outcome = await runAttempt(ctx, dataset, header, result);
    if (outcome === 'done') return result;
    if (outcome === 'copyChanged') {
      // Deleted or re-created here while the pull ran: read the header again, no waiting, no conflict.
      ctx.log.info('the dataset changed here during the pull; reading its header again', { attempt });
      continue;
    }
    result.conflictingCommits += 1;
    if (outcome === 'commitBeaten') ctx.log.info('another device committed first; pulling and retrying', { attempt });
    if (attempt < backoff.maxAttempts) await backoff.sleep(backoffDelay(attempt, backoff));
  }
  throw conflictRetriesExhausted(backoff.maxAttempts);
}

async function readHeader(ctx: SyncContext, dataset: string): Promise<KnownHeader> {
  try {
    return await remote.getHeader(ctx.table, dataset);
  } catch (error) {
    if (isAppError(error) && error.code === 'SYNC_REMOTE_DAMAGED') return DAMAGED;
    throw error;
  }
}

/** One attempt: the steps of the lifecycle row this copy and the header are in. */
async function runAttempt(ctx: SyncContext, dataset: string, known: KnownHeader, result: DatasetSyncResult): Promise<Attempt> {
  let before = ctx.storage.syncState(ctx.identityId, dataset);
  let header = known === DAMAGED ? undefined : known;
  for (const step of decideAttempt(before, known).steps) {
    switch (step) {
      case 'leaveDamagedAlone':
        return leaveDamagedAlone();
      case 'settleDeleteLocally':
        settleDeleteLocally(ctx, dataset, before as DatasetSyncState);
        before = ctx.storage.syncState(ctx.identityId, dataset);
        break;
      case 'recreateKeepingConcurrent': {
        const kept = await recreateKeepingConcurrent(ctx, dataset, before as DatasetSyncState, header as remote.RemoteHeader);
        if (kept === undefined) return 'recreateBeaten';
        header = kept.header;
        if (kept.pulled !== undefined) result.conflicts = [...new Set([...result.conflicts, ...kept.pulled.conflicts])];
        break;
      }
      case 'pullIfMoved':
      case 'pull':
        if (header !== undefined && (step === 'pull' || headerMoved(header, before))) {
          const pulled = await pullChanges(ctx, dataset, header);
          if (pulled === undefined) return 'copyChanged';
          notePull(result, pulled);
        }
        break;
      case 'forgetLostRemote':
        forgetLostRemote(ctx, dataset, before as DatasetSyncState);
        break;
      case 'pushDelete':
      case 'push': {
        const pushed = step === 'push' ? await commitChanges(ctx, dataset, header) : await pushDelete(ctx, dataset, before as DatasetSyncState, header);
        result.pushed += pushed.pushed;
        if (pushed.outcome === 'conflict') return 'commitBeaten';
        if (pushed.replacedGeneration !== undefined && header !== undefined) {
          await purgeQuietly(ctx, { ...header, generation: pushed.replacedGeneration, deleted: false });
        }
        break;
      }
    }
  }
  return 'done';
}

function notePull(result: DatasetSyncResult, pulled: PullResult): void {
  result.pulled += pulled.taken + pulled.resolvedByPolicy;
  result.conflicts = [...new Set([...result.conflicts, ...pulled.conflicts])];
  result.remoteReset = pulled.remoteReset ?? result.remoteReset;
}
