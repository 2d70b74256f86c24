// The bridge's dataset, record and conflict commands, over the local store. Every one acts for the
// signed-in identity only (NOT_SIGNED_IN otherwise); values cross in full only on records.get, on
// an export's records.list (a page bounded in bytes) and in conflicts (bounded in bytes too).
import { RECORDS_PAGE_BYTES, type CommandName, type RecordListItem } from '../../../shared/ipc-contract';
import type { DatasetStore, ListedRecord } from '../../datasets/store/dataset-store';
import { createImportStaging, type ImportStaging } from '../../datasets/store/import-staging';
import type { Handlers } from '../router';

/** What a list shows of a value; records.get gives the rest. */
export const PREVIEW_CHARS = 200;

export interface DataAccess {
  store: DatasetStore;
  /** The signed-in user's Cognito identity ID; throws NOT_SIGNED_IN when nobody is signed in. */
  identityId(): Promise<string>;
  /** This device's ID, to tell "this device" from another in a conflict. */
  deviceId: string;
  /** Where imports wait for their commit (the app drops it at sign-out); a private one otherwise. */
  imports?: ImportStaging;
}

type DatasetCommand = Extract<CommandName, `datasets.${string}` | `records.${string}` | `conflicts.${string}` | 'session.unsyncedChanges'>;

/** A listed record as the contract names it: the (possibly cut) value is its preview. */
function rowOf({ value, ...record }: ListedRecord): RecordListItem {
  return { ...record, preview: value };
}

export function datasetHandlers(access: DataAccess): Pick<Handlers, DatasetCommand> {
  const { store } = access;
  const imports = access.imports ?? createImportStaging();
  const device = (id: string) => (id === access.deviceId ? 'this device' : `another device (${id.slice(0, 8)})`);
  const ok = { ok: true } as const;
  // Each handler asks for the identity first, so a signed-out request touches nothing.
  const who = () => access.identityId();
  const conflictView = (conflict: ReturnType<DatasetStore['listConflicts']>[number]) => ({
    dataset: conflict.dataset,
    key: conflict.key,
    mine: { ...conflict.mine, modifiedBy: device(conflict.mine.modifiedBy) },
    theirs: { value: conflict.theirs.value, deviceLastModified: conflict.theirs.deviceLastModified, modifiedBy: device(conflict.theirs.modifiedBy) },
    detectedAt: conflict.detectedAt,
  });

  return {
    'session.unsyncedChanges': async () => store.unsyncedChanges(await who()),
    'datasets.list': async () => store.listDatasets(await who()),
    'datasets.openOrCreate': async ({ dataset }) => store.openOrCreate(await who(), dataset),
    'datasets.get': async ({ dataset }) => store.getDataset(await who(), dataset),
    'datasets.delete': async ({ dataset }) => {
      store.deleteDataset(await who(), dataset);
      return ok;
    },
    'datasets.setPolicy': async ({ dataset, policy }) => {
      const id = await who();
      store.setConflictPolicy(id, dataset, policy);
      return store.getDataset(id, dataset);
    },
    'datasets.importBegin': async ({ dataset }) => {
      // Read before the identity: a sign-out while it is looked up drops the staging, and this begin.
      const generation = imports.generation();
      const id = await who();
      store.getDataset(id, dataset); // DATASET_NOT_FOUND before any record is sent
      return { importId: imports.begin(id, dataset, generation) };
    },
    'datasets.importChunk': async ({ importId, records }) => ({ received: imports.add(await who(), importId, records) }),
    'datasets.importCommit': async ({ importId }) => {
      const id = await who();
      const { dataset, records } = imports.take(id, importId);
      return { imported: store.putMany(id, dataset, [...records].map(([key, value]) => ({ key, value }))) };
    },
    'datasets.importCancel': async ({ importId }) => {
      imports.cancel(await who(), importId);
      return ok;
    },

    'records.list': async ({ dataset, prefix, cursor, offset, count, limit, full }) => {
      // Bounded in bytes as well as in records: a page of whole values ends early, with a cursor.
      const page = store.listRecords(await who(), dataset, {
        prefix,
        cursor,
        offset,
        count,
        limit,
        maxBytes: RECORDS_PAGE_BYTES,
        ...(full ? {} : { previewChars: PREVIEW_CHARS }),
      });
      return { records: page.records.map(rowOf), nextCursor: page.nextCursor, ...(page.total === undefined ? {} : { total: page.total }) };
    },
    'records.get': async ({ dataset, key }) => store.getRecord(await who(), dataset, key) ?? null,
    'records.put': async ({ dataset, key, value }) => {
      store.put(await who(), dataset, key, value);
      return ok;
    },
    'records.remove': async ({ dataset, key }) => {
      store.remove(await who(), dataset, key);
      return ok;
    },

    'conflicts.list': async ({ dataset }) => store.listConflicts(await who(), dataset, { maxBytes: RECORDS_PAGE_BYTES }).map(conflictView),
    'conflicts.resolve': async ({ dataset, key, resolution }) => {
      store.resolveConflict(await who(), dataset, key, resolution);
      return ok;
    },
  };
}
