// Saving an export (renderer/src/common/save-file.ts): in a browser the click is the save; under
// Electron the page waits for the host to say how the save dialog ended, for this download only.
import { describe, expect, test } from 'vitest';
import type { Api, EventName, EventPayload } from '../../shared/ipc-contract';
import { createFileSaver } from '../../renderer/src/common/save-file';

function fakeApi(savesDownloads: boolean) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const api: Pick<Api, 'on' | 'savesDownloads'> = {
    savesDownloads,
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: unknown) => void);
      return () => void set.delete(listener as (payload: unknown) => void);
    },
  };
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => [...(listeners.get(event) ?? [])].forEach((listener) => listener(payload));
  const listening = (event: EventName) => listeners.get(event)?.size ?? 0;
  return { api, emit, listening };
}

const blob = () => new Blob(['{"records":{}}'], { type: 'application/json' });

describe('in a browser', () => {
  test('the click saves: "saved" under the suggested name at once; the blob is let go later', async () => {
    const { api, listening } = fakeApi(false);
    const clicks: string[][] = [];
    const later: (() => void)[] = [];
    const save = createFileSaver(api, { click: (url, fileName) => clicks.push([url, fileName]), later: (run) => later.push(run) });
    await expect(save(blob(), 'Notes.json')).resolves.toEqual({ outcome: 'saved', fileName: 'Notes.json' });
    expect(clicks).toHaveLength(1);
    expect(clicks[0]![0]).toMatch(/^blob:/);
    expect(clicks[0]![1]).toBe('Notes.json');
    expect(listening('download.done')).toBe(0);
    // Still readable until the timer lets it go.
    await expect(fetch(clicks[0]![0]!).then((response) => response.text())).resolves.toBe('{"records":{}}');
    later.forEach((run) => run());
    await expect(fetch(clicks[0]![0]!)).rejects.toThrow();
  });
});

describe('under Electron', () => {
  test('waits for the end of its own download: the name chosen when saved; other downloads do not end it', async () => {
    const { api, emit, listening } = fakeApi(true);
    let clicked: string | undefined;
    const save = createFileSaver(api, { click: (url) => (clicked = url) });
    let ended: unknown;
    const saving = save(blob(), 'Notes.json').then((outcome) => (ended = outcome));
    expect(clicked).toMatch(/^blob:/);
    emit('download.done', { url: 'blob:nodejs:another', fileName: 'Other.json', outcome: 'saved' });
    await Promise.resolve();
    expect(ended).toBeUndefined();
    emit('download.done', { url: clicked!, fileName: 'notes backup.json', outcome: 'saved' });
    await saving;
    expect(ended).toEqual({ outcome: 'saved', fileName: 'notes backup.json' });
    expect(listening('download.done')).toBe(0);
    // Let go once the host has it.
    await expect(fetch(clicked!)).rejects.toThrow();
  });

  test('a cancelled save dialog is "cancelled" and a failed write "failed", never "saved"', async () => {
    for (const outcome of ['cancelled', 'failed'] as const) {
      const { api, emit } = fakeApi(true);
      let clicked = '';
      const save = createFileSaver(api, { click: (url) => (clicked = url) });
      const saving = save(blob(), 'Notes.json');
      emit('download.done', { url: clicked, fileName: 'Notes.json', outcome });
      await expect(saving).resolves.toEqual({ outcome, fileName: 'Notes.json' });
    }
  });
});
