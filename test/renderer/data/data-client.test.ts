import { describe, expect, test } from 'vitest';
import type { Api, EventName, EventPayload } from '../../../shared/ipc-contract';
import { concernsDatasetContent, concernsDatasetSummary, createDataClient, type DataChange } from '../../../renderer/src/data/data-client';

function fakeApi() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const api: Api = {
    call: async () => ({ ok: true, value: { ok: true } }) as never,
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: unknown) => void);
      return () => void set.delete(listener as (payload: unknown) => void);
    },
  };
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => listeners.get(event)?.forEach((listener) => listener(payload));
  return { api, emit };
}

describe('events become changes of one resource', () => {
  test("a remote change to dataset X concerns X's records, not Y's; a datasets event concerns every summary and no records", () => {
    const { api, emit } = fakeApi();
    const client = createDataClient(api, async () => undefined, () => undefined);
    const changes: DataChange[] = [];
    client.subscribe((change) => changes.push(change));
    const stop = client.start();
    emit('records.changed', { dataset: 'X', origin: 'remote' });
    emit('datasets.changed', {});
    emit('conflicts.changed', { dataset: 'X' });
    stop();
    emit('records.changed', { dataset: 'Y', origin: 'local' });

    expect(changes).toEqual([{ kind: 'records', dataset: 'X', origin: 'remote' }, { kind: 'datasets' }, { kind: 'conflicts', dataset: 'X' }]);
    expect(changes.map(concernsDatasetContent('Y'))).toEqual([false, false, false]);
    expect(changes.map(concernsDatasetContent('X'))).toEqual([true, false, true]);
    expect(changes.map(concernsDatasetSummary('Y'))).toEqual([false, true, false]);
  });

  test('a sync that moved the last sync time is a change to the summaries, once per new time', () => {
    const { api, emit } = fakeApi();
    const client = createDataClient(api, async () => undefined, () => undefined);
    const changes: DataChange[] = [];
    client.subscribe((change) => changes.push(change));
    client.start();
    const status = { state: 'synced' as const, pendingChanges: 0, conflicts: 0, workOffline: false, datasets: [] };
    emit('sync.status', { ...status, lastSyncedAt: 1000 });
    emit('sync.status', { ...status, lastSyncedAt: 1000 });
    emit('sync.status', { ...status, lastSyncedAt: 2000 });
    expect(changes).toEqual([{ kind: 'datasets' }, { kind: 'datasets' }]);
  });
});
