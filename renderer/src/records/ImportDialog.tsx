// Import: the file is read and checked first (a bad one is refused whole, every problem listed). A
// good one is staged in the main process in chunks and compared with the dataset, so the dialog
// says what Import will add and replace before it is pressed; Import writes it in one transaction,
// Cancel or closing drops the staging. Nothing is written until Import.
import { useEffect, useRef, useState } from 'react';
import { IMPORT_CHUNK_RECORDS, type CommandOutput, type ImportComparison } from '../../../shared/ipc-contract';
import { Dialog } from '../common/Dialog';
import { formatBytes, plural } from '../common/format';
import type { Run } from '../common/run';
import { checkImportFile, type ImportCheck, type ImportPreview, type ImportProblem } from './import-file';

interface Props {
  run: Run;
  dataset: string;
  file: File;
  /** `confirmation`: the sentence saying what was imported, when something was committed. */
  onDone(confirmation?: string): void;
}

const SHOWN_KEY_CHARS = 60;

export function ImportDialog({ run, dataset, file, onDone }: Props) {
  const [check, setCheck] = useState<ImportCheck | undefined>();
  useEffect(() => void checkImportFile(file).then(setCheck), [file]);
  const staged = useStagedImport(run, dataset, check?.ok ? check.preview.records : undefined, onDone);
  const [importing, setImporting] = useState(false);

  const confirm = async () => {
    const importId = staged.take();
    if (importId === undefined) return;
    setImporting(true);
    const result = await run('datasets.importCommit', { importId });
    onDone(result && importConfirmation(dataset, result));
  };

  return (
    <Dialog title="Import records" onCancel={importing ? () => undefined : () => onDone()}>
      <p>
        From <strong>{file.name}</strong> into <strong>{dataset}</strong>.
      </p>
      {check === undefined ? (
        <p aria-busy="true">Reading the file…</p>
      ) : !check.ok ? (
        <Refusal message={check.message} problems={check.problems} problemCount={check.problemCount} />
      ) : (
        <>
          <p>
            {plural(check.preview.records.length, 'record')} ({formatBytes(check.preview.bytes)})
            {check.preview.from && check.preview.from !== dataset && `, exported from ${check.preview.from}`}.
          </p>
          <FirstRecords preview={check.preview} />
          {staged.comparison === undefined ? (
            <>
              <p aria-busy="true">Comparing them with the records of {dataset}…</p>
              <progress value={staged.received} max={check.preview.records.length} aria-label="Import progress" />
            </>
          ) : (
            <Comparison comparison={staged.comparison} />
          )}
          {importing && <p aria-busy="true">Importing…</p>}
        </>
      )}
      <div className="actions">
        {staged.comparison && (
          <button type="button" className="primary" disabled={importing} onClick={() => void confirm()}>
            Import
          </button>
        )}
        <button type="button" disabled={importing} onClick={() => onDone()}>
          {check?.ok ? 'Cancel' : 'Close'}
        </button>
      </div>
    </Dialog>
  );
}

/**
 * Stages `records` (once there are some) and compares them with the dataset. `take` hands the
 * staged import over for its commit; otherwise it is cancelled when the dialog closes. A request
 * in flight is never raced by the cancel: the staging loop cancels after it, once it sees it closed.
 */
function useStagedImport(run: Run, dataset: string, records: ImportPreview['records'] | undefined, onFailed: () => void) {
  const [received, setReceived] = useState(0);
  const [comparison, setComparison] = useState<ImportComparison | undefined>();
  const stagedId = useRef<string | undefined>(undefined);
  const failedRef = useRef(onFailed);
  failedRef.current = onFailed;

  useEffect(() => {
    if (records === undefined) return;
    let open = true;
    const drop = (importId: string) => void run('datasets.importCancel', { importId });
    // A refusal's sentence is already shown (run shows it): the dialog closes under it.
    const fail = (importId?: string) => {
      if (importId !== undefined) drop(importId);
      if (open) failedRef.current();
    };
    void (async () => {
      const begun = await run('datasets.importBegin', { dataset });
      if (!begun) return fail();
      const { importId } = begun;
      for (let start = 0; start < records.length; start += IMPORT_CHUNK_RECORDS) {
        if (!open) return drop(importId);
        const chunk = await run('datasets.importChunk', { importId, records: records.slice(start, start + IMPORT_CHUNK_RECORDS) });
        if (!chunk) return fail(importId);
        if (open) setReceived(chunk.received);
      }
      if (!open) return drop(importId);
      const compared = await run('datasets.importPreview', { importId });
      if (!compared || !open) return fail(importId);
      stagedId.current = importId;
      setComparison(compared);
    })();
    return () => {
      open = false;
      const importId = stagedId.current;
      stagedId.current = undefined;
      if (importId !== undefined) drop(importId);
    };
  }, [run, dataset, records]);

  return {
    received,
    comparison,
    take(): string | undefined {
      const importId = stagedId.current;
      stagedId.current = undefined;
      return importId;
    },
  };
}

function importConfirmation(dataset: string, result: CommandOutput<'datasets.importCommit'>): string {
  const same = result.unchanged === 0 ? '' : `; ${plural(result.unchanged, 'record')} already held the same value`;
  if (result.imported === 0) return `Nothing to import into ${dataset}: ${plural(result.unchanged, 'record')} already held the same value.`;
  return `Imported ${plural(result.imported, 'record')} into ${dataset}: ${result.added} new, ${result.replaced} replaced${same}.`;
}

function Comparison({ comparison: { added, replaced, unchanged, replacedKeys } }: { comparison: ImportComparison }) {
  if (added + replaced === 0) return <p>Every record already holds the same value here: importing changes nothing.</p>;
  return (
    <ul className="import-comparison">
      {added > 0 && <li>{plural(added, 'new record')}</li>}
      {replaced > 0 && (
        <li>
          {plural(replaced, 'replaces an existing record', 'replace existing records')}:{' '}
          <ul className="key-list">
            {replacedKeys.map((key) => (
              <li key={key}>
                <ShownKey value={key} />
              </li>
            ))}
            {replaced > replacedKeys.length && <li>and {replaced - replacedKeys.length} more</li>}
          </ul>
        </li>
      )}
      {unchanged > 0 && <li>{plural(unchanged, 'already holds the same value', 'already hold the same value')} (left as is)</li>}
    </ul>
  );
}

function FirstRecords({ preview }: { preview: ImportPreview }) {
  return (
    <ul className="preview">
      {preview.records.slice(0, 5).map((record) => (
        <li key={record.key}>
          <ShownKey value={record.key} />: <bdi>{record.value.slice(0, 80)}</bdi>
          {record.value.length > 80 && '…'}
        </li>
      ))}
      {preview.records.length > 5 && <li>… and {preview.records.length - 5} more</li>}
    </ul>
  );
}

function Refusal({ message, problems, problemCount }: { message: string; problems: ImportProblem[]; problemCount: number }) {
  return (
    <div role="alert" className="notice error">
      <div className="notice-text">
        <p className="refusal-message">{message} Nothing was imported.</p>
        {problems.length > 0 && (
          <ul className="import-problems">
            {problems.map((problem, index) => (
              <li key={index}>
                {problem.record !== undefined && (
                  <>
                    Record {problem.record}
                    {problem.key !== undefined && (
                      <>
                        , <ShownKey value={problem.key} />
                      </>
                    )}
                    :{' '}
                  </>
                )}
                {problem.text}
              </li>
            ))}
            {problemCount > problems.length && <li>… and {problemCount - problems.length} more</li>}
          </ul>
        )}
      </div>
    </div>
  );
}

/** A key as the user wrote it, isolated from the sentence around it, cut to a readable length. */
function ShownKey({ value }: { value: string }) {
  return (
    <code>
      <bdi>{value.length > SHOWN_KEY_CHARS ? `${value.slice(0, SHOWN_KEY_CHARS)}…` : value}</bdi>
    </code>
  );
}
