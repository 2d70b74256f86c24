// An import arrives over the bridge in chunks (a message is at most 1 MiB) and is written in ONE
// transaction when the user confirms, so a bad file or a cancelled import writes nothing. Chunks
// are checked against the limits as they arrive, naming the record that breaks one.
//
// Staged records live in memory until the commit, so what one identity may stage is bounded (open
// imports and bytes), only the signed-in identity's imports are kept, and the whole staging is
// dropped when the user signs out or changes: an import begun before never commits after.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { IMPORT_MAX_BYTES, IMPORT_MAX_OPEN } from '../../../shared/ipc-contract';
import { checkKey, checkRecordCount, checkValue, DEFAULT_LIMITS, utf8Bytes, type DatasetLimits } from '../limits';

const IDLE_MS = 10 * 60_000;

interface StagedImport {
  identityId: string;
  dataset: string;
  records: Map<string, string>;
  /** UTF-8 bytes of the staged keys and values. */
  bytes: number;
  touchedAt: number;
}

export interface ImportStaging {
  /**
   * Opens an import. `generation` (from generation() before the caller's identity was looked up)
   * refuses it when the staging was dropped in between: a sign-out raced the begin.
   */
  begin(identityId: string, dataset: string, generation?: number): string;
  add(identityId: string, importId: string, records: readonly { key: string; value: string }[]): number;
  /** The staged records, kept staged (for a preview of what the commit would do). */
  peek(identityId: string, importId: string): { dataset: string; records: ReadonlyMap<string, string> };
  /** Hands the staged records over (and forgets them): the caller writes them in one transaction. */
  take(identityId: string, importId: string): { dataset: string; records: Map<string, string> };
  cancel(identityId: string, importId: string): void;
  /** Forgets every staged import (sign-out, another user): none of them can be committed any more. */
  dropAll(): void;
  /** Bumped by dropAll. */
  generation(): number;
}

export interface ImportStagingOptions {
  now?: () => number;
  limits?: DatasetLimits;
  /** What one identity's open imports may hold together (UTF-8 bytes of keys and values). */
  maxBytes?: number;
  /** How many imports one identity may have open at once. */
  maxOpen?: number;
}

const notFound = () =>
  new AppError('IMPORT_NOT_FOUND', 'This import is no longer open (it was finished, cancelled, idle for 10 minutes, or you signed out). Choose the file again.');

function mib(bytes: number): string {
  return `${Number((bytes / 1024 / 1024).toFixed(2))} MiB`;
}

export function createImportStaging(options: ImportStagingOptions = {}): ImportStaging {
  const now = options.now ?? Date.now;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const maxBytes = options.maxBytes ?? IMPORT_MAX_BYTES;
  const maxOpen = options.maxOpen ?? IMPORT_MAX_OPEN;
  // Keyed by random IDs only, never by a name a user chose.
  const staged = new Map<string, StagedImport>();
  let generation = 0;

  const forgetIdle = () => {
    for (const [id, entry] of staged) if (now() - entry.touchedAt > IDLE_MS) staged.delete(id);
  };
  const find = (identityId: string, importId: string): StagedImport => {
    forgetIdle();
    const entry = staged.get(importId);
    if (entry === undefined || entry.identityId !== identityId) throw notFound();
    entry.touchedAt = now();
    return entry;
  };
  const stagedBytes = (identityId: string) => {
    let bytes = 0;
    for (const entry of staged.values()) if (entry.identityId === identityId) bytes += entry.bytes;
    return bytes;
  };

  return {
    begin(identityId, dataset, begunAt) {
      if (begunAt !== undefined && begunAt !== generation) throw notFound();
      forgetIdle();
      // One identity at a time: another identity's imports (a change of identity) can never commit.
      for (const [id, entry] of staged) if (entry.identityId !== identityId) staged.delete(id);
      if (staged.size >= maxOpen) {
        throw new AppError(
          'IMPORT_LIMIT',
          `${maxOpen} imports are already open. Finish or cancel one (or wait 10 minutes, after which an idle import is dropped), then import again.`,
        );
      }
      const importId = randomUUID();
      staged.set(importId, { identityId, dataset, records: new Map(), bytes: 0, touchedAt: now() });
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
      // What the chunk adds (a key sent again replaces its value), counted before anything is kept.
      const incoming = new Map<string, string>();
      for (const { key, value } of records) incoming.set(key, value);
      let added = 0;
      for (const [key, value] of incoming) {
        const replaced = entry.records.get(key);
        added += utf8Bytes(key) + utf8Bytes(value) - (replaced === undefined ? 0 : utf8Bytes(key) + utf8Bytes(replaced));
      }
      if (stagedBytes(identityId) + added > maxBytes) {
        staged.delete(importId);
        throw new AppError(
          'IMPORT_LIMIT',
          `An import holds at most ${mib(maxBytes)} of keys and values (together with any other open import). Split the file into smaller files and import them one by one. Nothing was imported.`,
        );
      }
      for (const [key, value] of incoming) entry.records.set(key, value);
      entry.bytes += added;
      try {
        checkRecordCount(entry.records.size, limits);
      } catch (error) {
        staged.delete(importId);
        throw error;
      }
      return entry.records.size;
    },
    peek(identityId, importId) {
      const entry = find(identityId, importId);
      return { dataset: entry.dataset, records: entry.records };
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
    dropAll() {
      staged.clear();
      generation += 1;
    },
    generation: () => generation,
  };
}
