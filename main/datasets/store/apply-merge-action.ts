// Carries out one merge decision on the rows of a key, inside the caller's transaction. Pulls,
// conflict resolutions and policy changes all settle a key through here, so they cannot disagree.
import type { MergeAction, PulledRecord } from './merge-record';
import { addDirtyRecords, deleteConflict, writeRecord, type RecordDbRow, type StoreContext } from './store-context';

export function applyMergeAction(
  ctx: StoreContext,
  identityId: string,
  dataset: string,
  local: RecordDbRow | undefined,
  remote: PulledRecord,
  action: MergeAction,
): void {
  const key = remote.key;
  switch (action.action) {
    case 'skip':
      return;
    case 'takeRemote':
      deleteConflict(ctx, identityId, dataset, key);
      // A tombstone of a key this device never held leaves nothing to remember.
      if (local === undefined && remote.value === null) return;
      writeRecord(ctx, identityId, dataset, local, {
        key,
        value: remote.value,
        dirty: false,
        baseSyncCount: remote.syncCount,
        deviceLastModified: remote.deviceLastModified,
        lastModifiedBy: remote.lastModifiedBy,
      });
      return;
    case 'keepLocal':
      deleteConflict(ctx, identityId, dataset, key);
      // The value is unchanged, so its local_version is too: a push of it already in flight still counts.
      ctx
        .sql('UPDATE records SET base_sync_count = ?, dirty = 1, modified_at = ? WHERE identity_id = ? AND dataset = ? AND key = ?')
        .run(remote.syncCount, ctx.now(), identityId, dataset, key);
      if (local !== undefined && local.dirty === 0) addDirtyRecords(ctx, identityId, dataset, 1);
      return;
    case 'write':
      deleteConflict(ctx, identityId, dataset, key);
      writeRecord(ctx, identityId, dataset, local, {
        key,
        value: action.value,
        dirty: true,
        baseSyncCount: remote.syncCount,
        deviceLastModified: ctx.now(),
        lastModifiedBy: ctx.deviceId,
      });
      return;
    case 'conflict':
      ctx
        .sql(
          `INSERT INTO conflicts (identity_id, dataset, key, remote_value, remote_deleted, remote_sync_count, remote_device_last_modified, remote_last_modified_by, detected_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (identity_id, dataset, key) DO UPDATE SET remote_value = excluded.remote_value, remote_deleted = excluded.remote_deleted,
             remote_sync_count = excluded.remote_sync_count, remote_device_last_modified = excluded.remote_device_last_modified,
             remote_last_modified_by = excluded.remote_last_modified_by, detected_at = excluded.detected_at`,
        )
        .run(
          identityId,
          dataset,
          key,
          remote.value,
          remote.value === null ? 1 : 0,
          remote.syncCount,
          remote.deviceLastModified,
          remote.lastModifiedBy,
          ctx.now(),
        );
      return;
  }
}
