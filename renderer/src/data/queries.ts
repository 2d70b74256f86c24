// The queries the screens use, one per command, each naming the changes that concern it.
import { useEffect, useRef, useState } from 'react';
import type { ConflictView, DatasetSummary } from '../../../shared/ipc-contract';
import { concernsDatasetContent, concernsDatasetSummary, type DataChange } from './data-client';
import { useData } from './data-context';
import { useQuery } from './use-query';

/** Every dataset with its counts: any change may move them. */
export function useDatasets(): DatasetSummary[] | undefined {
  return useQuery('datasets.list', {}, { concerns: () => true });
}

/**
 * One dataset's summary. datasets.changed names no dataset, so when a read it caused finds this
 * dataset's counts moved (a push marked its records synced), its records are told to read again.
 */
export function useDatasetSummary(dataset: string): DatasetSummary | undefined {
  const { publish } = useData();
  return useQuery(
    'datasets.get',
    { dataset },
    {
      concerns: concernsDatasetSummary(dataset),
      onAnswer(next, previous, causes) {
        const onlyUnnamed = causes.length > 0 && causes.every((cause) => cause.kind === 'datasets');
        if (previous !== undefined && onlyUnnamed && countsOf(previous) !== countsOf(next)) publish({ kind: 'records', dataset, origin: 'counts' });
      },
    },
  );
}

const countsOf = (summary: DatasetSummary) => [summary.recordCount, summary.pendingChanges, summary.conflicts].join();

/** The open conflicts of one dataset. */
export function useConflicts(dataset: string): ConflictView[] | undefined {
  return useQuery('conflicts.list', { dataset }, { concerns: concernsDatasetContent(dataset) });
}

/** A number that grows with every change `concerns` accepts: for screens that read by themselves. */
export function useChangeVersion(concerns: (change: DataChange) => boolean = () => true): number {
  const { subscribe } = useData();
  const [version, setVersion] = useState(0);
  const concernsRef = useRef(concerns);
  concernsRef.current = concerns;
  useEffect(() => subscribe((change) => concernsRef.current(change) && setVersion((v) => v + 1)), [subscribe]);
  return version;
}
