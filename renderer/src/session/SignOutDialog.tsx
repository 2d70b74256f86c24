// Sign-out asks what to do with this computer's copy, naming what removing it would lose.
import { useEffect, useState } from 'react';
import type { UnsyncedChanges } from '../../../shared/ipc-contract';
import { Dialog } from '../common/Dialog';

interface Props {
  email: string;
  loadUnsynced(): Promise<UnsyncedChanges | undefined>;
  onSignOut(removeLocalData: boolean): void;
  onCancel(): void;
}

export function SignOutDialog({ email, loadUnsynced, onSignOut, onCancel }: Props) {
  const [unsynced, setUnsynced] = useState<UnsyncedChanges | undefined>();
  useEffect(() => void loadUnsynced().then(setUnsynced), [loadUnsynced]);
  return (
    <Dialog title="Sign out" onCancel={onCancel}>
      <p>
        Sign out{' '}
        <strong>
          <bdi>{email}</bdi>
        </strong>{' '}
        on this computer. Keeping the data lets the next sign-in start from it, offline too.
      </p>
      {unsynced === undefined ? (
        <p aria-busy="true">Checking for changes that are not synced yet…</p>
      ) : unsynced.total === 0 ? (
        <p>Everything on this computer is synced: removing it loses nothing that is not in the cloud.</p>
      ) : (
        <div className="warning-box">
          <p>
            <strong>
              {unsynced.total} {unsynced.total === 1 ? 'change is' : 'changes are'} not synced yet
            </strong>{' '}
            and would be lost if you remove this computer's data:
          </p>
          <ul>
            {unsynced.datasets.map((dataset) => (
              <li key={dataset.name}>
                <bdi>{dataset.name}</bdi>: {dataset.deleted ? 'deleted here' : `${dataset.changes} ${dataset.changes === 1 ? 'change' : 'changes'}`}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="actions">
        <button type="button" className="primary" data-autofocus onClick={() => onSignOut(false)}>
          Sign out and keep data
        </button>
        <button type="button" className="danger" onClick={() => onSignOut(true)}>
          Sign out and remove data
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
