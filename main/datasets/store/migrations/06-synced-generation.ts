// Schema version 6: each dataset remembers which remote generation its last_sync_count (S) counts in.
// The local `generation` moves ahead of it when the dataset is re-created here before the push, so
// comparing the local generation with the remote's could not tell "the generation this copy saw"
// from "one re-created elsewhere": a delete, re-create and delete here never reached the remote.
// Existing rows start from their local generation, which is the synced one for every dataset not
// re-created here since its last sync.
import type { Database } from 'better-sqlite3';

export function updateToSchemaVersion6(db: Database): void {
  db.exec(`
    ALTER TABLE datasets ADD COLUMN synced_generation INTEGER NOT NULL DEFAULT 0;
    UPDATE datasets SET synced_generation = generation;
  `);
}
