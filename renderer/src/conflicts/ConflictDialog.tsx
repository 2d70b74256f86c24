// A key changed here and on another device: both values side by side with who and when; keep
// mine, keep theirs, or write a merged value. Opened by the person (never by a sync on its own);
// keys, values and device names are isolated so bidi controls in them reorder nothing around them.
import { useState } from 'react';
import type { ConflictView } from '../../../shared/ipc-contract';
import { Dialog } from '../common/Dialog';
import { formatTime } from '../common/format';
import type { Run } from '../common/run';

interface Props {
  conflict: ConflictView;
  run: Run;
  onDone(): void;
  /** "Decide later": the dialog closes; the key stays unsynced until a choice is made. */
  onLater(): void;
}

function Side({ title, side }: { title: string; side: ConflictView['mine'] }) {
  return (
    <figure className="conflict-side">
      <figcaption>
        <strong>{title}</strong> — <bdi>{side.modifiedBy}</bdi>, {formatTime(side.deviceLastModified)}
      </figcaption>
      {side.value === null ? (
        <p className="removed">(removed)</p>
      ) : (
        <pre tabIndex={0} className="bidi-isolate">
          {side.value}
        </pre>
      )}
    </figure>
  );
}

export function ConflictDialog({ conflict, run, onDone, onLater }: Props) {
  const [merging, setMerging] = useState(false);
  const [merged, setMerged] = useState(conflict.mine.value ?? conflict.theirs.value ?? '');
  const resolve = async (resolution: { keep: 'mine' } | { keep: 'theirs' } | { value: string }) => {
    if (await run('conflicts.resolve', { dataset: conflict.dataset, key: conflict.key, resolution })) onDone();
  };
  return (
    <Dialog title="Resolve conflict" onCancel={onLater} wide>
      <p>
        <strong>
          <bdi>{conflict.key}</bdi>
        </strong>{' '}
        in <bdi>{conflict.dataset}</bdi> was changed on this computer and on another device before they synced.
        Choose the value to keep; it is synced to every device.
      </p>
      <div className="conflict-sides">
        <Side title="Mine" side={conflict.mine} />
        <Side title="Theirs" side={conflict.theirs} />
      </div>
      {merging && (
        <label className="merged">
          Merged value
          <textarea value={merged} onChange={(event) => setMerged(event.target.value)} rows={4} data-autofocus />
        </label>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={() => void resolve({ keep: 'mine' })}>
          Keep mine
        </button>
        <button type="button" onClick={() => void resolve({ keep: 'theirs' })}>
          Keep theirs
        </button>
        {merging ? (
          <button type="button" onClick={() => void resolve({ value: merged })}>
            Save merged value
          </button>
        ) : (
          <button type="button" onClick={() => setMerging(true)}>
            Edit a merged value
          </button>
        )}
        <button type="button" className="ghost" onClick={onLater}>
          Decide later
        </button>
      </div>
    </Dialog>
  );
}
