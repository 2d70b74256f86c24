// Import: the file is checked and previewed first; Import sends it in chunks and the main process
// writes it in one transaction, so a bad file or a refusal writes nothing.
import { useEffect, useState } from 'react';
import { IMPORT_CHUNK_RECORDS } from '../../../shared/ipc-contract';
import { Dialog } from '../common/Dialog';
import { formatBytes, plural } from '../common/format';
import type { Run } from '../common/run';
import { checkImportFile, type ImportCheck } from './import-file';

interface Props {
  run: Run;
  dataset: string;
  file: File;
  onDone(): void;
}

export function ImportDialog({ run, dataset, file, onDone }: Props) {
  const [check, setCheck] = useState<ImportCheck | undefined>();
  const [progress, setProgress] = useState<number | undefined>();
  useEffect(() => void checkImportFile(file).then(setCheck), [file]);

  const confirm = async () => {
    if (!check?.ok) return;
    const { records } = check.preview;
    setProgress(0);
    const begun = await run('datasets.importBegin', { dataset });
    if (!begun) return onDone();
    for (let start = 0; start < records.length; start += IMPORT_CHUNK_RECORDS) {
      const chunk = await run('datasets.importChunk', { importId: begun.importId, records: records.slice(start, start + IMPORT_CHUNK_RECORDS) });
      if (!chunk) {
        await run('datasets.importCancel', { importId: begun.importId });
        return onDone();
      }
      setProgress(chunk.received);
    }
    await run('datasets.importCommit', { importId: begun.importId });
    onDone();
  };

  return (
    <Dialog title="Import records" onCancel={progress === undefined ? onDone : () => undefined}>
      <p>
        From <strong>{file.name}</strong> into <strong>{dataset}</strong>.
      </p>
      {check === undefined ? (
        <p aria-busy="true">Reading the file…</p>
      ) : !check.ok ? (
        <p role="alert" className="notice error">
          {check.message} Nothing was imported.
        </p>
      ) : (
        <>
          <p>
            {plural(check.preview.records.length, 'record')} ({formatBytes(check.preview.bytes)})
            {check.preview.from && check.preview.from !== dataset && `, exported from ${check.preview.from}`}. Records with the same key are
            replaced.
          </p>
          <ul className="preview">
            {check.preview.records.slice(0, 5).map((record) => (
              <li key={record.key}>
                <code>{record.key}</code>: {record.value.slice(0, 80)}
                {record.value.length > 80 && '…'}
              </li>
            ))}
            {check.preview.records.length > 5 && <li>… and {check.preview.records.length - 5} more</li>}
          </ul>
        </>
      )}
      {progress !== undefined && check?.ok && (
        <progress value={progress} max={check.preview.records.length} aria-label="Import progress" />
      )}
      <div className="actions">
        {check?.ok && (
          <button type="button" className="primary" disabled={progress !== undefined} onClick={() => void confirm()}>
            Import
          </button>
        )}
        <button type="button" disabled={progress !== undefined} onClick={onDone}>
          {check?.ok ? 'Cancel' : 'Close'}
        </button>
      </div>
    </Dialog>
  );
}
