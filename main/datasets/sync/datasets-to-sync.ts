// Which datasets a sync visits after the one header Query, and which the cloud holds that this
// device leaves alone. Which copy needs a visit is lifecycle.ts's call.
import * as remote from '../../aws/dataset-table';
import { DAMAGED, holdsCopy, needsVisit } from '../lifecycle';
import type { DatasetSyncState } from '../store/sync-storage';
import type { UnsupportedDataset } from './sync-status';

export interface DatasetVisit {
  dataset: string;
  /** null: the Query found no header; DAMAGED: a malformed one. */
  header: remote.RemoteHeader | null | typeof DAMAGED;
}

/**
 * Those whose header moved, and those with local changes. A header whose name the app refuses is
 * never created here; a malformed header is DAMAGED when this device has a copy of the dataset
 * (whose status then says so), else left alone too.
 */
export function datasetsToSync(headers: readonly remote.RemoteHeader[], states: readonly DatasetSyncState[], malformed: readonly remote.MalformedItem[] = []) {
  const byName = new Map(states.map((state) => [state.name, state]));
  const unsupported: UnsupportedDataset[] = [];
  const damaged = new Set<string>();
  for (const header of headers) if (remote.unsupportedName(header.dataset)) unsupported.push({ name: header.dataset, reason: 'name' });
  for (const item of malformed) {
    if (remote.unsupportedName(item.dataset)) unsupported.push({ name: item.dataset, reason: 'name' });
    else if (holdsCopy(byName.get(item.dataset))) damaged.add(item.dataset);
    else unsupported.push({ name: item.dataset, reason: 'damaged' });
  }
  const headerByName = new Map(headers.filter((header) => !remote.unsupportedName(header.dataset)).map((header) => [header.dataset, header]));
  const names = [...new Set([...headerByName.keys(), ...byName.keys(), ...damaged])].sort();
  const visit: DatasetVisit[] = [];
  const unchanged: string[] = [];
  for (const dataset of names) {
    const header = headerByName.get(dataset);
    const state = byName.get(dataset);
    if (damaged.has(dataset)) visit.push({ dataset, header: DAMAGED });
    else if (needsVisit(state, header)) visit.push({ dataset, header: header ?? null });
    else if (state !== undefined && !state.deleted) unchanged.push(dataset);
  }
  return { visit, unchanged, unsupported };
}
