// Removing the items of a deleted or replaced generation is housekeeping: a failure is logged, and
// any device retries it on a later sync.
import * as remote from '../../aws/dataset-table';
import type { AppError } from '../../../shared/errors';
import type { SyncContext } from './sync-context';

export async function purgeQuietly(ctx: SyncContext, header: remote.RemoteHeader): Promise<void> {
  try {
    const removed = await remote.purgeDeletedRecords(ctx.table, header);
    if (removed > 0) ctx.log.debug('removed the items of a deleted generation', { removed });
  } catch (error) {
    ctx.log.warn('removing the items of a deleted generation failed; a later sync retries', { code: (error as AppError).code });
  }
}
