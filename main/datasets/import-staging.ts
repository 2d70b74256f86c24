// An import arrives over the bridge in chunks (a message is at most 1 MiB) and is written in ONE
// transaction when the user confirms, so a bad file or a cancelled import writes nothing. Chunks
// are checked against the limits as they arrive, naming the record that breaks one.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { checkKey, checkRecordCount, checkValue, DEFAULT_LIMITS, type DatasetLimits } from './limits';

const IDLE_MS = 10 * 60_000;

interface StagedImport {
  identityId: string;
  dataset: string;
  records: Map<string, string>;
  touchedAt: number;
}

export interface ImportStaging {
  begin(identityId: string, dataset: string): string;
  add(identityId: string, importId: string, records: readonly { key: string; value: string }[]): number;
  /** Hands the staged records over (and forgets them): the caller writes them in one transaction. */
  take(identityId: string, importId: string): { dataset: string; records: Map<string, string> };
  cancel(identityId: string, importId: string): void;
}

export function createImportStaging(options: { now?: () => number; limits?: DatasetLimits } = {}): ImportStaging {
  const now = options.now ?? Date.now;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const staged = new Map<string, StagedImport>();

  const forgetIdle = () => {
    for (const [id, entry] of staged) if (now() - entry.touchedAt > IDLE_MS) staged.delete(id);
  };
  const find = (identityId: string, importId: string): StagedImport => {
    forgetIdle();
    const entry = staged.get(importId);
    if (entry === undefined || entry.identityId !== identityId) {
      throw new AppError('IMPORT_NOT_FOUND', 'This import is no longer open (it was finished, cancelled or idle for 10 minutes). Choose the file again.');
    }
    entry.touchedAt = now();
    return entry;
  };

  return {
    begin(identityId, dataset) {
      forgetIdle();
      const importId = randomUUID();
      staged.set(importId, { identityId, dataset, records: new Map(), touchedAt: now() });
      return importId;
    },
    add(identityId, importId, records) {
      const entry = find(identityId, importId);
      records.forEach(({ key, value }, index) => {
        try {
          checkKey(key, limits);
          checkValue(value, limits);
        } catch (error) {
          staged.delete(importId);
          if (error instanceof AppError) {
            throw new AppError(error.code, `Record ${entry.records.size + index + 1} of the file: ${error.message} Nothing was imported.`);
          }
          throw error;
        }
      });
      for (const { key, value } of records) entry.records.set(key, value);
      try {
        checkRecordCount(entry.records.size, limits);
      } catch (error) {
        staged.delete(importId);
        throw error;
      }
      return entry.records.size;
    },
    take(identityId, importId) {
      const entry = find(identityId, importId);
      staged.delete(importId);
      return { dataset: entry.dataset, records: entry.records };
    },
    cancel(identityId, importId) {
      const entry = staged.get(importId);
      if (entry?.identityId === identityId) staged.delete(importId);
    },
  };
}
