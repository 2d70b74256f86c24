// The keys of this dataset waiting for a conflict choice, and Choose… to open the first.
import { plural } from '../common/format';
import type { ConflictView } from '../../../shared/ipc-contract';

export function ConflictBanner({ conflicts, onChoose }: { conflicts: readonly ConflictView[]; onChoose(): void }) {
  if (conflicts.length === 0) return null;
  return (
    <div className="conflict-banner" aria-live="polite">
      <span>
        {plural(conflicts.length, 'key')} changed here and on another device:{' '}
        {conflicts.map((conflict, index) => (
          <span key={conflict.key}>
            {index > 0 && ', '}
            <bdi>{conflict.key}</bdi>
          </span>
        ))}
        .
      </span>
      <button type="button" onClick={onChoose}>
        Choose…
      </button>
    </div>
  );
}
