// Schema version 3: a partial index of dirty records, so finding what to push costs O(changes),
// not a walk over a dataset of 100,000 clean records.
import type { Database } from 'better-sqlite3';

export function updateToSchemaVersion3(db: Database): void {
  db.exec(`
    CREATE INDEX records_dirty ON records (identity_id, dataset, key) WHERE dirty = 1;
  `);
}
