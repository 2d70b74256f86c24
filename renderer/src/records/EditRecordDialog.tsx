// Editing a record, in a modal dialog: the key is shown and cannot change (a new key is a new
// record, made with the form above the table); the value takes the focus, its text selected to
// the end. Enter or Ctrl/Cmd+Enter saves, Escape or Cancel leaves the record as it was.
import { useEffect, useRef, useState } from 'react';
import { Dialog } from '../common/Dialog';
import { useData } from '../data/data-context';
import { ENTER_HINT, submitOnEnter } from './submit-on-enter';

interface Props {
  dataset: string;
  record: { key: string; value: string };
  onClose(): void;
}

export function EditRecordDialog({ dataset, record, onClose }: Props) {
  const { run } = useData();
  const [value, setValue] = useState(record.value);
  const [saving, setSaving] = useState(false);
  const valueRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const field = valueRef.current;
    field?.focus();
    field?.setSelectionRange(field.value.length, field.value.length);
  }, []);

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    if (saving) return;
    // An unchanged value is not written: nothing to sync.
    if (value === record.value) return onClose();
    setSaving(true);
    const saved = await run('records.put', { dataset, key: record.key, value });
    setSaving(false);
    if (saved) onClose();
  };

  return (
    <Dialog title="Edit record" onCancel={onClose} wide>
      <form className="edit-record" onSubmit={save}>
        <label>
          Key
          <input value={record.key} readOnly aria-describedby="edit-key-hint" className="read-only" dir="auto" />
        </label>
        <span id="edit-key-hint" className="hint">
          The key cannot change while editing; to keep this value under another key, save it as a new record.
        </span>
        <label>
          Value
          <textarea
            ref={valueRef}
            data-autofocus
            value={value}
            onChange={(event) => setValue(event.target.value)}
            onKeyDown={submitOnEnter}
            rows={8}
            aria-describedby="edit-value-hint"
            dir="auto"
          />
        </label>
        <span id="edit-value-hint" className="hint">
          {ENTER_HINT}, Escape cancels.
        </span>
        <div className="actions">
          <button type="submit" className="primary" disabled={saving}>
            Save
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
