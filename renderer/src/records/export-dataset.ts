// Export: every record, read page by page with full values (a page may end early on bytes: the
// cursor says where to go on), saved as one JSON file the Import button reads back.
import { plural } from '../common/format';
import type { AppErrorView } from '../../../shared/errors';
import type { Run } from '../common/run';
import type { SaveOutcome } from '../common/save-file';

export const EXPORT_FORMAT = 'auth0-cognito-desktop/dataset@1';

/**
 * The export file's text, or undefined when a page could not be read (its error already shown).
 * Keys are the user's own: they go in a Map and into the file as own properties, so that a key
 * such as `__proto__` is written like any other.
 */
export async function exportText(run: Run, dataset: string, onProgress: (done: number) => void): Promise<string | undefined> {
  const records = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await run('records.list', { dataset, cursor, limit: 200, full: true });
    if (!page) return undefined;
    for (const record of page.records) records.set(record.key, record.preview);
    onProgress(records.size);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  // Object.fromEntries defines own properties, never the prototype; so does JSON.parse on import.
  return JSON.stringify({ format: EXPORT_FORMAT, dataset, exportedAt: new Date().toISOString(), records: Object.fromEntries(records) }, null, 2);
}

/** What an export did, for its confirmation; undefined when it stopped (its error already shown). */
export interface ExportResult extends SaveOutcome {
  records: number;
}

export async function exportDataset(
  run: Run,
  dataset: string,
  onProgress: (done: number) => void,
  save: (blob: Blob, fileName: string) => Promise<SaveOutcome>,
): Promise<ExportResult | undefined> {
  let records = 0;
  const text = await exportText(run, dataset, (done) => {
    records = done;
    onProgress(done);
  });
  if (text === undefined) return undefined;
  const saved = await save(new Blob([text], { type: 'application/json' }), `${dataset}.json`);
  return { records, ...saved };
}

export function exportConfirmation({ records, fileName }: ExportResult): string {
  return `Exported ${plural(records, 'record')} to ${fileName}.`;
}

/** Said where errors show when the file could not be written (Electron tells; a browser does not). */
export function exportNotSaved({ fileName }: ExportResult): AppErrorView {
  return {
    code: 'EXPORT_NOT_SAVED',
    message: `The export was not saved: ${fileName} could not be written. Choose a folder you can write to, with free space, and export again.`,
  };
}
