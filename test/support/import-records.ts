// Test support: records put into the open dataset the way a person does it — Import, a file of
// them chosen in the file chooser, Import again in the dialog that previews them.
import type { Page } from 'playwright-core';

/**
 * `untilClosed` also waits, up to 30 s, for the dialog to close, as it does once the import is
 * written; without it the caller waits for whatever it needs to see next.
 */
export async function importRecords(page: Page, dataset: string, records: Record<string, string>, { untilClosed = false } = {}): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import' }).click();
  await (await chooser).setFiles({
    name: 'records.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ format: 'auth0-cognito-desktop/dataset@1', dataset, records })),
  });
  await page.getByRole('dialog', { name: 'Import records' }).getByRole('button', { name: 'Import' }).click();
  if (untilClosed) await page.getByRole('dialog', { name: 'Import records' }).waitFor({ state: 'detached', timeout: 30_000 });
}
