// A new record (or a new value for an existing key): Key, Value, Save. Ctrl/Cmd+N comes here;
// Escape empties the form.
import { useState, type Ref } from 'react';
import { useData } from '../data/data-context';
import { ENTER_HINT, submitOnEnter } from './submit-on-enter';

export function RecordForm({ dataset, keyRef }: { dataset: string; keyRef: Ref<HTMLInputElement> }) {
  const { run } = useData();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    if (await run('records.put', { dataset, key, value })) {
      setKey('');
      setValue('');
    }
  };
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key !== 'Escape' || (key === '' && value === '')) return;
    event.preventDefault();
    setKey('');
    setValue('');
  };

  return (
    <form className="record-form" aria-label="New record" onSubmit={save} onKeyDown={onKeyDown}>
      <label>
        Key
        <input ref={keyRef} value={key} onChange={(event) => setKey(event.target.value)} required />
      </label>
      <label className="grow">
        Value
        <textarea value={value} onChange={(event) => setValue(event.target.value)} onKeyDown={submitOnEnter} rows={1} title={ENTER_HINT} />
      </label>
      <button type="submit" className="primary">
        Save
      </button>
    </form>
  );
}
