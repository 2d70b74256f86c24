// What an import would do to a dataset, before it is written: which keys are new, which replace a
// value held here (and which), which hold the same value already. A read: the import itself is one
// transaction of putMany.
import type { ReadContext } from './store-context';
import { liveDatasetRow } from './store-context';

export interface ImportComparison {
  /** Keys the dataset does not hold (or holds removed). */
  added: number;
  /** Keys that hold another value now. */
  replaced: number;
  /** Keys that hold this very value already: the import leaves them as they are. */
  unchanged: number;
  /** The first replaced keys, in key order, to name in the dialog. */
  replacedKeys: string[];
}

/** How many keys one comparison reads per query (JSON array of keys into json_each). */
const KEYS_PER_QUERY = 5_000;

export function compareImport(ctx: ReadContext, identityId: string, dataset: string, records: ReadonlyMap<string, string>, namedKeys = 20): ImportComparison {
  return ctx.snapshot(() => {
    liveDatasetRow(ctx, identityId, dataset);
    const keys = [...records.keys()];
    const comparison: ImportComparison = { added: 0, replaced: 0, unchanged: 0, replacedKeys: [] };
    const replacedKeys: string[] = [];
    for (let start = 0; start < keys.length; start += KEYS_PER_QUERY) {
      const chunk = keys.slice(start, start + KEYS_PER_QUERY);
      const held = ctx
        .read('SELECT key, value FROM records WHERE identity_id = ? AND dataset = ? AND deleted = 0 AND key IN (SELECT value FROM json_each(?))')
        .all(identityId, dataset, JSON.stringify(chunk)) as { key: string; value: string }[];
      const values = new Map(held.map((row) => [row.key, row.value]));
      for (const key of chunk) {
        const now = values.get(key);
        if (now === undefined) comparison.added += 1;
        else if (now === records.get(key)) comparison.unchanged += 1;
        else {
          comparison.replaced += 1;
          replacedKeys.push(key);
        }
      }
    }
    comparison.replacedKeys = replacedKeys.sort().slice(0, namedKeys);
    return comparison;
  });
}
