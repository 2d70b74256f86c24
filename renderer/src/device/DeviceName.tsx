// This device's name, in the header: the name the user's other devices show in conflicts and as who
// last changed a record. A click opens "Rename this device"; the name is checked as it is typed
// (shared/device-name.ts, the rules the main process applies) and isolated (<bdi>) wherever shown.
import { useCallback, useEffect, useState } from 'react';
import { deviceNameProblem, DEVICE_NAME_MAX_CHARS } from '../../../shared/device-name';
import type { Api, ThisDeviceView } from '../../../shared/ipc-contract';
import { Dialog } from '../common/Dialog';
import type { Run } from '../common/run';
import { useEvent } from '../common/use-command';
import './device.css';

export function DeviceName({ api, run }: { api: Api; run: Run }) {
  const [device, setDevice] = useState<ThisDeviceView | undefined>();
  const [renaming, setRenaming] = useState(false);
  const load = useCallback(() => void run('device.get', {}).then((view) => view && setDevice(view)), [run]);
  useEffect(load, [load]);
  useEvent(api, 'devices.changed', load);
  if (device === undefined) return null;
  return (
    <>
      <button type="button" className="ghost device-name" title={`This device: ${device.name}. Rename it`} onClick={() => setRenaming(true)}>
        This device: <bdi>{device.name}</bdi>
      </button>
      {renaming && (
        <RenameDeviceDialog
          device={device}
          run={run}
          onDone={(renamed) => {
            if (renamed) setDevice(renamed);
            setRenaming(false);
          }}
        />
      )}
    </>
  );
}

function RenameDeviceDialog({ device, run, onDone }: { device: ThisDeviceView; run: Run; onDone(renamed?: ThisDeviceView): void }) {
  const [name, setName] = useState(device.name);
  const [saving, setSaving] = useState(false);
  const problem = deviceNameProblem(name);
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    if (saving || problem !== undefined) return;
    setSaving(true);
    const renamed = await run('device.rename', { name });
    setSaving(false);
    if (renamed) onDone(renamed);
  };
  return (
    <Dialog title="Rename this device" onCancel={() => onDone()}>
      <form className="rename-device" onSubmit={save}>
        <label>
          Device name
          <input
            data-autofocus
            value={name}
            onChange={(event) => setName(event.target.value)}
            maxLength={DEVICE_NAME_MAX_CHARS * 2}
            aria-describedby="device-name-hint"
            aria-invalid={problem !== undefined}
            dir="auto"
          />
        </label>
        <span id="device-name-hint" className="hint">
          Your other devices show this name in conflicts and as who last changed a record, after their next sync.
          {device.defaultName !== null && (
            <>
              {' '}
              This computer is called <bdi>{device.defaultName}</bdi>.
            </>
          )}
        </span>
        {problem !== undefined && name !== device.name && <p className="problem">{problem}</p>}
        <div className="actions">
          <button type="submit" className="primary" disabled={saving || problem !== undefined}>
            Save
          </button>
          <button type="button" onClick={() => onDone()}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
