// DynamoDB attribute values in and out: the few writers and readers every request uses, and the
// decoding of a header or record item (already validated by validation.ts) into its plain shape.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DATASET_PREFIX, DEVICE_PREFIX, RECORD_PREFIX, SORT_KEY } from '../table-schema';
import type { RemoteDevice, RemoteHeader, RecordItem } from './types';

export type Item = Record<string, AttributeValue>;

export const S = (value: string): AttributeValue => ({ S: value });
export const N = (value: number): AttributeValue => ({ N: String(value) });
export const BOOL = (value: boolean): AttributeValue => ({ BOOL: value });

export const readS = (item: Item, name: string): string | undefined => item[name]?.S;
export const readN = (item: Item, name: string): number => Number(item[name]?.N ?? 0);
export const readBool = (item: Item, name: string): boolean => item[name]?.BOOL === true;

/** The dataset name a header item's sort key gives ('' without one). */
export function headerDataset(item: Item): string {
  return (readS(item, SORT_KEY) ?? '').slice(DATASET_PREFIX.length);
}

export function headerOf(item: Item): RemoteHeader {
  return {
    dataset: headerDataset(item),
    syncCount: readN(item, 'syncCount'),
    generation: readN(item, 'generation'),
    deleted: readBool(item, 'deleted'),
    recordCount: readN(item, 'recordCount'),
    sizeBytes: readN(item, 'sizeBytes'),
    lastModified: readN(item, 'lastModified'),
    lastModifiedBy: readS(item, 'lastModifiedBy') ?? '',
  };
}

export function deviceOf(item: Item): RemoteDevice {
  return {
    id: (readS(item, SORT_KEY) ?? '').slice(DEVICE_PREFIX.length),
    name: readS(item, 'name') ?? '',
    renamedAt: readN(item, 'renamedAt'),
  };
}

export function recordOf(dataset: string, item: Item): RecordItem {
  const deleted = readBool(item, 'deleted');
  const prefix = `${RECORD_PREFIX}${dataset}#`;
  return {
    dataset,
    key: (readS(item, SORT_KEY) ?? '').slice(prefix.length),
    value: deleted ? undefined : (readS(item, 'value') ?? ''),
    deleted,
    syncCount: readN(item, 'syncCount'),
    generation: readN(item, 'generation'),
    lastModified: readN(item, 'lastModified'),
    lastModifiedBy: readS(item, 'lastModifiedBy') ?? '',
    deviceLastModified: readN(item, 'deviceLastModified'),
  };
}
