// The per-dataset counters (live records, bytes, pending changes) that the list, the records limit and the header
// counters read are kept by every write; after any mix of user writes, pulls, commits, conflicts,
// resets and deletes they equal what a full count of the records says.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { OpenedDatasetStore } from '../../../../main/datasets/store/dataset-store';
import { openTestStore } from '../../../support/dataset-store';

const ID = 'us-east-1:44444444-4444-4444-8444-444444444444';
const key = fc.constantFrom('a', 'b', 'c', 'é');
const value = fc.constantFrom('x', 'yy', 'zzzz', '€€', '');

const step = fc.oneof(
  fc.record({ op: fc.constant('put' as const), key, value }),
  fc.record({ op: fc.constant('remove' as const), key }),
  fc.record({ op: fc.constant('putMany' as const), entries: fc.array(fc.record({ key, value }), { maxLength: 3 }) }),
  fc.record({ op: fc.constant('pull' as const), entries: fc.array(fc.record({ key, value: fc.option(value) }), { maxLength: 3 }) }),
  fc.record({ op: fc.constant('remoteReset' as const), deleted: fc.boolean() }),
  fc.record({ op: fc.constant('commit' as const) }),
  fc.record({ op: fc.constant('resolve' as const), keep: fc.constantFrom('mine' as const, 'theirs' as const) }),
  fc.record({ op: fc.constant('policy' as const), policy: fc.constantFrom('manual' as const, 'lastWriterWins' as const, 'remote' as const, 'local' as const) }),
  fc.record({ op: fc.constant('deleteAndRecreate' as const) }),
);
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function run(store: OpenedDatasetStore, steps: Step[]): void {
  let remoteSync = 0;
  let remoteGeneration = 0;
  store.openOrCreate(ID, 'd');
  for (const s of steps) {
    if (store.syncStorage.syncState(ID, 'd')?.deleted) store.openOrCreate(ID, 'd');
    switch (s.op) {
      case 'put':
        store.put(ID, 'd', s.key, s.value);
        break;
      case 'remove':
        store.remove(ID, 'd', s.key);
        break;
      case 'putMany':
        store.putMany(ID, 'd', s.entries);
        break;
      case 'pull':
        remoteSync += 1;
        store.syncStorage.applyPull(ID, 'd', {
          header: { syncCount: remoteSync, generation: remoteGeneration, deleted: false },
          records: s.entries.map((e) => ({ key: e.key, value: e.value, syncCount: remoteSync, deviceLastModified: remoteSync, lastModifiedBy: 'device-z' })),
        });
        break;
      case 'remoteReset':
        remoteSync += 1;
        remoteGeneration += 1;
        store.syncStorage.applyPull(ID, 'd', { header: { syncCount: remoteSync, generation: remoteGeneration, deleted: s.deleted }, records: [] });
        break;
      case 'commit': {
        const batch = store.syncStorage.pendingChanges(ID, 'd');
        if (batch === undefined || batch.state.deleted) break;
        remoteSync += 1;
        remoteGeneration = batch.state.generation;
        store.syncStorage.markCommitted(ID, 'd', remoteSync, batch.state.generation, batch.records);
        break;
      }
      case 'resolve': {
        const conflict = store.listConflicts(ID, 'd')[0];
        if (conflict !== undefined) store.resolveConflict(ID, 'd', conflict.key, { keep: s.keep });
        break;
      }
      case 'policy':
        store.setConflictPolicy(ID, 'd', s.policy);
        break;
      case 'deleteAndRecreate':
        store.deleteDataset(ID, 'd');
        store.openOrCreate(ID, 'd');
        break;
    }
  }
}

test('live record and byte counters always equal a full count', () => {
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 15 }), (steps) => {
      const store = openTestStore();
      try {
        run(store, steps);
        if (store.syncStorage.syncState(ID, 'd')?.deleted) return;
        const records = store.listRecords(ID, 'd', { limit: 1000 }).records;
        const bytes = records.reduce((sum, r) => sum + Buffer.byteLength(r.key) + Buffer.byteLength(r.value), 0);
        expect(store.getDataset(ID, 'd')).toMatchObject({ recordCount: records.length, bytes });
        expect(store.syncStorage.syncState(ID, 'd')).toMatchObject({ recordCount: records.length, bytes });
        // The pending records (dirty minus conflicts) are what a push would really take; the pending
        // changes add one while a create of the dataset waits to be pushed.
        const pushable = store.syncStorage.pendingChanges(ID, 'd', { maxRecords: 1000, maxBytes: 1e9 })?.records.length ?? 0;
        const state = store.syncStorage.syncState(ID, 'd');
        expect(state?.pendingRecords).toBe(pushable);
        expect(store.getDataset(ID, 'd').pendingChanges).toBe(pushable + (state?.headerPending ? 1 : 0));
      } finally {
        store.close();
      }
    }),
    { numRuns: Number(process.env.STORE_PROPERTY_RUNS ?? 40) },
  );
});

test('the dirty counter (schema version 7) always equals a recount of dirty records, deleted datasets included', () => {
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 15 }), (steps) => {
      const store = openTestStore();
      try {
        run(store, steps);
        const db = new Database(store.file, { readonly: true });
        try {
          const rows = db
            .prepare(
              `SELECT d.name, d.dirty_records AS kept,
                 (SELECT count(*) FROM records r WHERE r.identity_id = d.identity_id AND r.dataset = d.name AND r.dirty = 1) AS counted
               FROM datasets d WHERE d.identity_id = ?`,
            )
            .all(ID) as { name: string; kept: number; counted: number }[];
          for (const row of rows) expect(row.kept, row.name).toBe(row.counted);
        } finally {
          db.close();
        }
      } finally {
        store.close();
      }
    }),
    { numRuns: Number(process.env.STORE_PROPERTY_RUNS ?? 40) },
  );
});
