// A long value whole, on demand ("Show all" in its row).
import { Dialog } from '../common/Dialog';

export function ValueDialog({ shown, onClose }: { shown: { key: string; value: string }; onClose(): void }) {
  return (
    <Dialog title={`Value of ${shown.key}`} onCancel={onClose} wide>
      <pre className="full-value" tabIndex={0}>
        <bdi>{shown.value}</bdi>
      </pre>
      <div className="actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
