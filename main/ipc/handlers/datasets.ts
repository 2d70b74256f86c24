// The bridge's dataset, record and conflict commands, over the local store. Every one acts for the
// signed-in identity only (NOT_SIGNED_IN otherwise); values cross in full only on records.get, on
// an export's records.list (a page bounded in bytes) and in conflicts (bounded in bytes too).
import { RECORDS_PAGE_BYTES, type CommandName, type RecordListItem, type WriteResult } from '../../../shared/ipc-contract';
import type { DatasetStore, ListedRecord, WriteOutcome } from '../../datasets/store/dataset-store';
import { createImportStaging, type ImportStaging } from '../../datasets/store/import-staging';
import type { Handlers } from '../router';
import { deviceLabel, deviceNamer, type DeviceNamer } from './devices';

/** What a list shows of a value; records.get gives the rest. */
export const PREVIEW_CHARS = 200;

export interface DataAccess {
  store: DatasetStore;
  /** The signed-in user's Cognito identity ID; throws NOT_SIGNED_IN when nobody is signed in. */
  identityId(): Promise<string>;
  /** Where imports wait for their commit (the app drops it at sign-out); a private one otherwise. */
  imports?: ImportStaging;
}

type DatasetCommand = Extract<CommandName, `datasets.${string}` | `records.${string}` | `conflicts.${string}` | 'session.unsyncedChanges'>;

/** A listed record as the contract names it: the (possibly cut) value is its preview, its writer a name. */
function rowOf({ value, lastModifiedBy, ...record }: ListedRecord, namer: DeviceNamer): RecordListItem {
  return { ...record, preview: value, modifiedBy: deviceLabel(namer(lastModifiedBy)) };
}

function written(outcome: WriteOutcome): WriteResult {
  return { ok: true, changed: outcome.changed, modifiedAt: outcome.modifiedAt };
}

export function datasetHandlers(access: DataAccess): Pick<Handlers, DatasetCommand> {
  const { store } = access;
  const imports = access.imports ?? createImportStaging();
  const ok = { ok: true } as const;
  // Each handler asks for the identity first, so a signed-out request touches nothing.
  const who = () => access.identityId();
  type Conflict = ReturnType<DatasetStore['listConflicts']>[number];
  const sideView = (side: Conflict['mine'], namer: DeviceNamer) => {
    const device = namer(side.modifiedBy);
    return { value: side.value, deviceLastModified: side.deviceLastModified, modifiedBy: deviceLabel(device), device };
  };
  const conflictView = (conflict: Conflict, namer: DeviceNamer) => ({
    dataset: conflict.dataset,
    key: conflict.key,
    mine: sideView(conflict.mine, namer),
    theirs: sideView(conflict.theirs, namer),
    detectedAt: conflict.detectedAt,
  });

  return {
    'session.unsyncedChanges': async () => store.unsyncedChanges(await who()),
    'datasets.list': async () => store.listDatasets(await who()),
    'datasets.openOrCreate': async ({ dataset }) => store.openOrCreate(await who(), dataset),
    'datasets.get': async ({ dataset }) => store.getDataset(await who(), dataset),
    'datasets.delete': async ({ dataset }) => ({ ok: true, changed: true, modifiedAt: store.deleteDataset(await who(), dataset) }),
    'datasets.setPolicy': async ({ dataset, policy }) => {
      const id = await who();
      const changed = store.setConflictPolicy(id, dataset, policy);
      return { ...store.getDataset(id, dataset), changed };
    },
    'datasets.importBegin': async ({ dataset }) => {
      // Read before the identity: a sign-out while it is looked up drops the staging, and this begin.
      const generation = imports.generation();
      const id = await who();
      store.getDataset(id, dataset); // DATASET_NOT_FOUND before any record is sent
      return { importId: imports.begin(id, dataset, generation) };
    },
    'datasets.importChunk': async ({ importId, records }) => ({ received: imports.add(await who(), importId, records) }),
    'datasets.importPreview': async ({ importId }) => {
      const id = await who();
      const { dataset, records } = imports.peek(id, importId);
      return store.compareImport(id, dataset, records);
    },
    'datasets.importCommit': async ({ importId }) => {
      const id = await who();
      const { dataset, records } = imports.take(id, importId);
      // Compared and written in the same turn of the event loop: no other write comes between.
      const comparison = store.compareImport(id, dataset, records);
      const imported = store.putMany(id, dataset, [...records].map(([key, value]) => ({ key, value })));
      return { ...comparison, imported };
    },
    'datasets.importCancel': async ({ importId }) => {
      imports.cancel(await who(), importId);
      return ok;
    },

    'records.list': async ({ dataset, prefix, cursor, offset, count, limit, full }) => {
      // Bounded in bytes as well as in records: a page of whole values ends early, with a cursor.
      const id = await who();
      const page = store.listRecords(id, dataset, {
        prefix,
        cursor,
        offset,
        count,
        limit,
        maxBytes: RECORDS_PAGE_BYTES,
        ...(full ? {} : { previewChars: PREVIEW_CHARS }),
      });
      const namer = deviceNamer(store, id, page.records.map((record) => record.lastModifiedBy));
      const records = page.records.map((record) => rowOf(record, namer));
      return { records, nextCursor: page.nextCursor, ...(page.total === undefined ? {} : { total: page.total }) };
    },
    'records.get': async ({ dataset, key }) => {
      const id = await who();
      const found = store.getRecord(id, dataset, key);
      if (found === undefined) return null;
      const { lastModifiedBy, ...record } = found;
      const device = deviceNamer(store, id, [lastModifiedBy])(lastModifiedBy);
      return { ...record, modifiedBy: deviceLabel(device), device };
    },
    'records.put': async ({ dataset, key, value }) => written(store.put(await who(), dataset, key, value)),
    'records.remove': async ({ dataset, key }) => written(store.remove(await who(), dataset, key)),

    'conflicts.list': async ({ dataset }) => {
      const id = await who();
      const conflicts = store.listConflicts(id, dataset, { maxBytes: RECORDS_PAGE_BYTES });
      const namer = deviceNamer(store, id, conflicts.flatMap((conflict) => [conflict.mine.modifiedBy, conflict.theirs.modifiedBy]));
      return conflicts.map((conflict) => conflictView(conflict, namer));
    },
    'conflicts.resolve': async ({ dataset, key, resolution }) => written(store.resolveConflict(await who(), dataset, key, resolution)),
  };
}
