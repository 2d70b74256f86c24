// Deleting a dataset asks first, naming what is lost here and in the cloud.
import type { DatasetSummary } from '../../../shared/ipc-contract';
import { Dialog } from '../common/Dialog';
import { formatBytes, plural } from '../common/format';

export function DeleteDatasetDialog({ dataset, onConfirm, onCancel }: { dataset: DatasetSummary; onConfirm(): void; onCancel(): void }) {
  return (
    <Dialog title="Delete dataset" onCancel={onCancel}>
      <p>
        Delete{' '}
        <strong>
          <bdi>{dataset.name}</bdi>
        </strong>{' '}
        and its {plural(dataset.recordCount, 'record')} ({formatBytes(dataset.bytes)}) from this
        computer <strong>and from the cloud</strong>: your other computers remove it at their next sync.
        {dataset.pendingChanges > 0 && ` ${plural(dataset.pendingChanges, 'change')} not synced yet will be lost too.`}
      </p>
      <div className="actions">
        <button type="button" className="danger" title={`Delete ${dataset.name}`} onClick={onConfirm}>
          Delete <bdi>{dataset.name}</bdi>
        </button>
        <button type="button" data-autofocus onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
