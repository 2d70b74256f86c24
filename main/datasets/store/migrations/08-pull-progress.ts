// Schema version 8: how far a first (or any long) pull has got. A pull reads the sync-count range
// (S, H] of the header it started from as a few sub-ranges side by side and merges each page in its
// own transaction; each sub-range's row says which counts it has merged, in the same transaction as
// the page. S moves to H only when every sub-range is done, so a crash mid-pull resumes where it was
// (the merge skips whatever it already holds), and a header that moved meanwhile starts a new plan.
import type { Database } from 'better-sqlite3';

export function updateToSchemaVersion8(db: Database): void {
  db.exec(`
    CREATE TABLE pull_progress (
      identity_id TEXT NOT NULL,
      dataset TEXT NOT NULL,
      -- the header this plan reads up to: a pull of any other header discards the plan
      header_sync_count INTEGER NOT NULL,
      generation INTEGER NOT NULL,
      -- the sub-range [range_from, range_to] of sync counts, merged up to done_through
      range_from INTEGER NOT NULL,
      range_to INTEGER NOT NULL,
      done_through INTEGER NOT NULL,
      PRIMARY KEY (identity_id, dataset, range_from)
    ) WITHOUT ROWID;
  `);
}
