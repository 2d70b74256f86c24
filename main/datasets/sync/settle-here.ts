// The lifecycle's decisions that touch only this copy: a delete done here only, a damaged remote
// left alone, a lost remote header started over.
import * as remote from '../../aws/dataset-table';
import type { DatasetSyncState } from '../store/sync-storage';
import type { SyncContext } from './sync-context';

/** The delete made here is done: the remote held nothing of this copy's, so S stays where it was. */
export function settleDeleteLocally(ctx: SyncContext, dataset: string, state: DatasetSyncState): void {
  ctx.storage.markDeletePushed(ctx.identityId, dataset, state.lastSyncCount, state.syncedGeneration);
}

/** The remote header is damaged: nothing is read or written there, and this copy stays as it is. */
export function leaveDamagedAlone(): never {
  throw remote.remoteDamaged();
}

/**
 * The table has no header for a dataset this copy has synced before (the table was replaced): a
 * commit conditioned on the old syncCount could never land, so this copy starts again from 0.
 */
export function forgetLostRemote(ctx: SyncContext, dataset: string, state: DatasetSyncState): void {
  ctx.log.warn('the table has no header for a dataset synced before; committing it again from syncCount 0');
  ctx.storage.applyPull(ctx.identityId, dataset, { header: { syncCount: 0, generation: state.generation, deleted: false }, records: [] });
}
