// Pushes a delete made here at S (this copy's last_sync_count, which a pending delete never moves):
// what others committed after S moves into a new generation (carry-concurrent.ts), else ONE
// conditional header update marks the dataset deleted.
import * as remote from '../../aws/dataset-table';
import { deletesRemoteCopy } from '../lifecycle';
import type { DatasetSyncState } from '../store/sync-storage';
import { carryConcurrentWrites } from './carry-concurrent';
import type { CommitStep } from './commit-changes';
import { purgeQuietly } from './purge-stale-items';
import { settleDeleteLocally } from './settle-here';
import type { SyncContext } from './sync-context';

export async function pushDelete(ctx: SyncContext, dataset: string, state: DatasetSyncState, header: remote.RemoteHeader | undefined): Promise<CommitStep> {
  const deletedAt = state.lastSyncCount;
  // The attempt settles such a delete before its pull; this guard narrows `header`, and settles a
  // delete made here while the sync was under way.
  if (!deletesRemoteCopy(state, header)) {
    settleDeleteLocally(ctx, dataset, state);
    return { outcome: 'done', pushed: 0 };
  }
  const carried = await carryConcurrentWrites(ctx, dataset, {
    header,
    after: deletedAt,
    generation: header.generation + 1,
    replacing: 'delete',
    countCarried: true,
  });
  if (carried.outcome === 'conflict') return { outcome: 'conflict', pushed: 0 };
  if (carried.outcome === 'carried') {
    // Re-created: S stays at the delete, so the next pull takes the new generation from its start.
    ctx.storage.markDeletePushed(ctx.identityId, dataset, deletedAt, header.generation);
    ctx.committed?.(dataset, carried.header.syncCount);
    await purgeQuietly(ctx, carried.header);
    return { outcome: 'done', pushed: 0 };
  }
  const outcome = await remote.commitDelete(ctx.table, { dataset, syncCount: header.syncCount, generation: header.generation, deviceId: ctx.deviceId, now: ctx.now() });
  if (!outcome.committed) return { outcome: 'conflict', pushed: 0 };
  ctx.storage.markDeletePushed(ctx.identityId, dataset, outcome.syncCount, header.generation);
  ctx.committed?.(dataset, outcome.syncCount);
  await purgeQuietly(ctx, { ...header, syncCount: outcome.syncCount, deleted: true });
  return { outcome: 'done', pushed: 0 };
}
