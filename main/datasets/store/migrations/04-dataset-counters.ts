// Schema version 4: each dataset keeps its live record count and bytes, updated by every record
// write, so the records limit, the dataset list and each commit's header counters cost O(1) instead
// of a walk over up to 100,000 records.
import type { Database } from 'better-sqlite3';

export function updateToSchemaVersion4(db: Database): void {
  db.exec(`
    ALTER TABLE datasets ADD COLUMN live_records INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE datasets ADD COLUMN live_bytes INTEGER NOT NULL DEFAULT 0;
    UPDATE datasets SET
      live_records = (SELECT count(*) FROM records r WHERE r.identity_id = datasets.identity_id AND r.dataset = datasets.name AND r.deleted = 0),
      live_bytes = (SELECT coalesce(sum(r.bytes), 0) FROM records r WHERE r.identity_id = datasets.identity_id AND r.dataset = datasets.name AND r.deleted = 0);
  `);
}
