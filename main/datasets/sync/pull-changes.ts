// Pull: the records committed since this copy's S that lifecycle.ts says to read, merged in ONE
// store transaction, after which S = the header's syncCount.
import * as remote from '../../aws/dataset-table';
import { recordsToPull } from '../lifecycle';
import type { PullResult } from '../store/sync-storage';
import { toMergeRecord, type SyncContext } from './sync-context';

export async function pullChanges(ctx: SyncContext, dataset: string, header: remote.RemoteHeader): Promise<PullResult> {
  const read = recordsToPull(ctx.storage.syncState(ctx.identityId, dataset), header);
  const records =
    read === undefined
      ? []
      : await remote.pullChanges(
          ctx.table,
          dataset,
          { after: read.after, through: header.syncCount, generation: header.generation },
          (count) => ctx.progress(dataset, count, count),
          ctx.malformed,
        );
  return ctx.storage.applyPull(ctx.identityId, dataset, {
    header: { syncCount: header.syncCount, generation: header.generation, deleted: header.deleted },
    records: records.map(toMergeRecord),
  });
}
