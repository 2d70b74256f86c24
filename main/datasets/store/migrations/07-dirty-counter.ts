// Schema version 7: each dataset keeps how many of its records are dirty, updated in the same
// transaction as every write that makes a record dirty or clean (like version 4's live counters), so
// a push's bookkeeping and the status's "N changes pending" cost O(1) per commit instead of a walk
// over up to 100,000 dirty records after each one.
import type { Database } from 'better-sqlite3';

export function updateToSchemaVersion7(db: Database): void {
  db.exec(`
    ALTER TABLE datasets ADD COLUMN dirty_records INTEGER NOT NULL DEFAULT 0;
    UPDATE datasets SET
      dirty_records = (SELECT count(*) FROM records r WHERE r.identity_id = datasets.identity_id AND r.dataset = datasets.name AND r.dirty = 1);
  `);
}
