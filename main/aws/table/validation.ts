// Whether an item read from the user's partition can be taken as it is. Anyone holding the
// identity's credentials can write there, so every header and record is checked before it is
// decoded (items.ts); one that fails is skipped and named to the caller, never stored.
import { AppError } from '../../../shared/errors';
import { checkDatasetName, checkKey, checkValue, DEFAULT_LIMITS, type DatasetLimits } from '../../datasets/limits';
import { DATASET_PREFIX, DEVICE_PREFIX, RECORD_PREFIX, SORT_KEY, SYNC_KEY_ATTRIBUTE, syncKey } from '../table-schema';
import { readBool, readN, readS, type Item } from './items';
import type { PullRange } from './types';

const MAX_DEVICE_ID_CHARS = 256;
/** A device's own item names it by an ID of this form (the app's are UUIDs). */
const DEVICE_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
/** A device name longer than this is not one this app wrote (it writes at most 64 characters): skipped, not cut. */
const MAX_DEVICE_NAME_UNITS = 1024;

/** A whole number the app can count with: present, a DynamoDB number, and a safe integer >= 0. */
function countProblem(item: Item, name: string, required = true): string | undefined {
  const attribute = item[name];
  if (attribute === undefined) return required ? `${name} is missing` : undefined;
  if (attribute.N === undefined) return `${name} is not a number`;
  const value = Number(attribute.N);
  return Number.isSafeInteger(value) && value >= 0 ? undefined : `${name} is not a whole number from 0 to 2^53`;
}

function stringProblem(item: Item, name: string, maxChars: number): string | undefined {
  const attribute = item[name];
  if (attribute === undefined) return undefined;
  if (attribute.S === undefined) return `${name} is not a string`;
  return attribute.S.length > maxChars ? `${name} is longer than ${maxChars} characters` : undefined;
}

function boolProblem(item: Item, name: string): string | undefined {
  const attribute = item[name];
  return attribute === undefined || attribute.BOOL !== undefined ? undefined : `${name} is not a boolean`;
}

function limitProblem(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
}

/** Why a header item cannot be used, or undefined. A name the app refuses is its own kind: see `unsupportedName`. */
export function headerProblem(item: Item): string | undefined {
  const sortKey = readS(item, SORT_KEY);
  if (sortKey === undefined || !sortKey.startsWith(DATASET_PREFIX)) return 'its sort key is not a dataset header';
  for (const name of ['syncCount', 'generation']) {
    const problem = countProblem(item, name);
    if (problem !== undefined) return problem;
  }
  for (const name of ['recordCount', 'sizeBytes', 'lastModified']) {
    const problem = countProblem(item, name, false);
    if (problem !== undefined) return problem;
  }
  return boolProblem(item, 'deleted') ?? stringProblem(item, 'lastModifiedBy', MAX_DEVICE_ID_CHARS);
}

/** Whether a header's dataset name is one this app refuses for a dataset made here: it is never created from the cloud. */
export function unsupportedName(name: string, limits: DatasetLimits = DEFAULT_LIMITS): boolean {
  return limitProblem(() => checkDatasetName(name, limits)) !== undefined;
}

/** Why a record item read for `dataset` in `range` cannot be used, or undefined. */
export function recordProblem(dataset: string, item: Item, range: PullRange, limits: DatasetLimits): string | undefined {
  const prefix = `${RECORD_PREFIX}${dataset}#`;
  const sortKey = readS(item, SORT_KEY);
  if (sortKey === undefined || !sortKey.startsWith(prefix)) return "its sort key is not one of this dataset's records";
  for (const name of ['syncCount', 'generation', 'lastModified', 'deviceLastModified']) {
    const problem = countProblem(item, name, name !== 'lastModified');
    if (problem !== undefined) return problem;
  }
  const syncCount = readN(item, 'syncCount');
  if (readS(item, SYNC_KEY_ATTRIBUTE) !== syncKey(dataset, syncCount)) return 'its syncKey does not match its dataset and syncCount';
  if (syncCount <= range.after || syncCount > range.through) return "its syncCount is outside the header's";
  const deletedProblem = boolProblem(item, 'deleted');
  if (deletedProblem !== undefined) return deletedProblem;
  const keyProblem = limitProblem(() => checkKey(sortKey.slice(prefix.length), limits));
  if (keyProblem !== undefined) return keyProblem;
  if (!readBool(item, 'deleted')) {
    const value = item.value;
    if (value?.S === undefined) return 'its value is missing or not a string';
    const valueProblem = limitProblem(() => checkValue(value.S!, limits));
    if (valueProblem !== undefined) return valueProblem;
  }
  return stringProblem(item, 'lastModifiedBy', MAX_DEVICE_ID_CHARS);
}

/** Why a device's own item (`DV#<deviceId>`) cannot be used, or undefined. Its name is made safe to show later. */
export function deviceProblem(item: Item): string | undefined {
  const sortKey = readS(item, SORT_KEY);
  if (sortKey === undefined || !sortKey.startsWith(DEVICE_PREFIX)) return 'its sort key is not a device';
  if (!DEVICE_ID.test(sortKey.slice(DEVICE_PREFIX.length))) return 'its device ID is not 1 to 64 letters, digits or _ . : -';
  if (item.name?.S === undefined) return 'its name is missing or not a string';
  return stringProblem(item, 'name', MAX_DEVICE_NAME_UNITS) ?? countProblem(item, 'renamedAt');
}
