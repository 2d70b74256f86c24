// "Record deleted — Undo" while a delete of this dataset waits out its window. The clock stops
// while the pointer or the focus is on the offer, so it can be read and reached at leisure.
// Announced politely (not role="status": that role is the status bar's alone).
import { useEffect, useSyncExternalStore } from 'react';
import { useData } from '../data/data-context';

export function UndoToast({ dataset, onUndo }: { dataset: string; onUndo(): void }) {
  const { deletes } = useData();
  const waiting = useSyncExternalStore(deletes.subscribe, deletes.current);
  const shown = waiting?.dataset === dataset ? waiting : undefined;
  useEffect(() => () => deletes.release(), [deletes]);
  return (
    <div
      className={shown ? 'undo-toast shown' : 'undo-toast'}
      aria-live="polite"
      onMouseEnter={() => shown && deletes.hold()}
      onMouseLeave={() => deletes.release()}
      onFocus={() => shown && deletes.hold()}
      onBlur={() => deletes.release()}
    >
      {shown && (
        <>
          <span className="undo-text">
            Record deleted — <bdi className="undo-key">{shown.key}</bdi>
          </span>
          <button type="button" onClick={onUndo}>
            Undo
          </button>
        </>
      )}
    </div>
  );
}
