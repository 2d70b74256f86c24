// Export: every record, read page by page with full values, saved as one JSON file the Import
// button reads back.
import type { Run } from '../common/run';

export const EXPORT_FORMAT = 'auth0-cognito-desktop/dataset@1';

export async function exportDataset(run: Run, dataset: string, onProgress: (done: number) => void): Promise<void> {
  const records: Record<string, string> = {};
  let cursor: string | undefined;
  let done = 0;
  do {
    const page = await run('records.list', { dataset, cursor, limit: 200, full: true });
    if (!page) return;
    for (const record of page.records) records[record.key] = record.preview;
    done += page.records.length;
    onProgress(done);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  const text = JSON.stringify({ format: EXPORT_FORMAT, dataset, exportedAt: new Date().toISOString(), records }, null, 2);
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${dataset}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
