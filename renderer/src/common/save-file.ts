// Saving a file the page made (an export) by a download. Under Electron the host asks where to save
// it and tells how that ended (main/shell/downloads.ts, the download.done event), so a cancelled
// save dialog is not reported as a saved file. A browser saves downloads its own way (usually to
// its Downloads folder, without asking) and tells the page nothing: there the click is the save.
import type { Api } from '../../../shared/ipc-contract';

export interface SaveOutcome {
  outcome: 'saved' | 'cancelled' | 'failed';
  /** The name it was saved under (the person may have chosen another), or the suggested one. */
  fileName: string;
}

/** How long a browser keeps the blob after the click: it reads it at once. */
const BLOB_KEPT_MS = 10_000;

function clickDownloadLink(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
}

export function createFileSaver(
  api: Pick<Api, 'on' | 'savesDownloads'>,
  { click = clickDownloadLink, later = (run: () => void, ms: number) => void setTimeout(run, ms) }: { click?: typeof clickDownloadLink; later?: (run: () => void, ms: number) => void } = {},
): (blob: Blob, fileName: string) => Promise<SaveOutcome> {
  return async (blob, fileName) => {
    const url = URL.createObjectURL(blob);
    if (!api.savesDownloads) {
      click(url, fileName);
      later(() => URL.revokeObjectURL(url), BLOB_KEPT_MS);
      return { outcome: 'saved', fileName };
    }
    // Listening before the click: the host tells the end of this URL's download, however long the dialog stays open.
    const ended = new Promise<SaveOutcome>((resolve) => {
      const stop = api.on('download.done', (done) => {
        if (done.url !== url) return;
        stop();
        resolve({ outcome: done.outcome, fileName: done.fileName });
      });
    });
    click(url, fileName);
    try {
      return await ended;
    } finally {
      URL.revokeObjectURL(url);
    }
  };
}
