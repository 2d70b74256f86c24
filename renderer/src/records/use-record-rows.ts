// The rows of one dataset's table under one filter, read again only when a change concerns this
// dataset, and without the record whose delete waits out its undo window.
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { concernsDatasetContent } from '../data/data-client';
import { useData } from '../data/data-context';
import { createRecordPagesStore, type RecordPagesStore, type RecordRows } from './record-pages-store';

export function useRecordRows(dataset: string, prefix: string): { rows: RecordRows; show: RecordPagesStore['show'] } {
  const { run, subscribe, deletes } = useData();
  const store = useMemo(() => createRecordPagesStore({ list: (input) => run('records.list', input), dataset, prefix }), [run, dataset, prefix]);
  useEffect(() => {
    void store.reload();
    const waiting = deletes.current();
    if (waiting?.dataset === dataset) store.hide(waiting.key);
    const concerns = concernsDatasetContent(dataset);
    const stopChanges = subscribe((change) => {
      if (concerns(change)) void store.reload();
    });
    const stopDeletes = deletes.subscribe((event) => {
      if (event.dataset !== dataset) return;
      if (event.type === 'waiting') store.hide(event.key);
      else if (event.type === 'undone' || (event.type === 'sent' && !event.removed)) store.reveal(event.key);
      else if (event.type === 'sent') {
        store.removed(event.key);
        void store.reload();
      }
    });
    return () => {
      stopChanges();
      stopDeletes();
      store.stop();
    };
  }, [store, subscribe, deletes, dataset]);
  const rows = useSyncExternalStore(store.subscribe, store.rows);
  return { rows, show: store.show };
}
