// A dataset deleted and re-created here replaces the remote copy — but what others committed after
// this copy last looked moves into the new generation first (carry-concurrent.ts), and is then
// merged here under the dataset's policy, as a pull of that commit: each record keeps its own
// writer, so lastWriterWins compares the real writes, and a conflict with a record written here
// after the re-create is a conflict like any other.
import type * as remote from '../../aws/dataset-table';
import { unseenSince } from '../lifecycle';
import type { DatasetSyncState, PullResult } from '../store/sync-storage';
import { carryConcurrentWrites } from './carry-concurrent';
import { purgeQuietly } from './purge-stale-items';
import { toMergeRecord, type SyncContext } from './sync-context';

/** Undefined: another commit came first. */
export async function recreateKeepingConcurrent(
  ctx: SyncContext,
  dataset: string,
  state: DatasetSyncState,
  header: remote.RemoteHeader,
): Promise<{ header: remote.RemoteHeader; pulled?: PullResult } | undefined> {
  const carried = await carryConcurrentWrites(ctx, dataset, {
    header,
    after: unseenSince(state, header),
    generation: state.generation,
    replacing: 're-create',
    countCarried: false,
  });
  if (carried.outcome === 'conflict') return undefined;
  if (carried.outcome === 'none') return { header };
  const moved = carried.header;
  const pulled = ctx.storage.applyPull(ctx.identityId, dataset, {
    header: { syncCount: moved.syncCount, generation: moved.generation, deleted: false },
    records: carried.records.map(toMergeRecord),
  });
  ctx.committed?.(dataset, moved.syncCount);
  await purgeQuietly(ctx, moved);
  return { header: moved, pulled };
}
