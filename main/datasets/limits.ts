// The limits of docs/sync-protocol.md, checked before anything is written or queued, so a write the
// remote would refuse fails here, at once, with a sentence naming the limit. Sentences never quote
// the name, key or value: errors may reach a log.
import { AppError } from '../../shared/errors';

export interface DatasetLimits {
  datasetNameMaxChars: number;
  keyMaxBytes: number;
  valueMaxBytes: number;
  recordsPerDataset: number;
  datasetsPerIdentity: number;
}

export const DEFAULT_LIMITS: DatasetLimits = Object.freeze({
  datasetNameMaxChars: 128,
  keyMaxBytes: 128,
  // 192 KiB, not the 256 KiB first planned: a record item and its copy in the bySyncKey index
  // (projection ALL) share DynamoDB's 400 KB item limit, so a larger value could be written here but
  // never synced (docs/sync-protocol.md, Limits).
  valueMaxBytes: 192 * 1024,
  recordsPerDataset: 100_000,
  datasetsPerIdentity: 100,
});

// `#` is the separator of the remote sort keys, so it can never be part of a name.
const DATASET_NAME = /^[A-Za-z0-9_.:-]+$/;

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export function checkDatasetName(name: string, limits: DatasetLimits = DEFAULT_LIMITS): void {
  if (name.length < 1 || name.length > limits.datasetNameMaxChars || !DATASET_NAME.test(name)) {
    throw new AppError(
      'LIMIT_DATASET_NAME',
      `A dataset name is 1 to ${limits.datasetNameMaxChars} characters of letters, digits, '_', '.', ':' and '-'. Choose another name.`,
    );
  }
}

export function checkKey(key: string, limits: DatasetLimits = DEFAULT_LIMITS): void {
  checkUtf8(key, 'key');
  const bytes = utf8Bytes(key);
  if (bytes < 1 || bytes > limits.keyMaxBytes) {
    throw new AppError(
      'LIMIT_KEY_SIZE',
      `A record key is 1 to ${limits.keyMaxBytes} bytes of UTF-8 (this one is ${bytes}). Use a shorter key.`,
    );
  }
}

export function checkValue(value: string, limits: DatasetLimits = DEFAULT_LIMITS): void {
  checkUtf8(value, 'value');
  const bytes = utf8Bytes(value);
  if (bytes > limits.valueMaxBytes) {
    throw new AppError(
      'LIMIT_VALUE_SIZE',
      `A record value is at most ${formatBytes(limits.valueMaxBytes)} of UTF-8 (this one is ${formatBytes(bytes)}). Split it over several records.`,
    );
  }
}

/** `count` is the number of live records the dataset would hold after the write. */
export function checkRecordCount(count: number, limits: DatasetLimits = DEFAULT_LIMITS): void {
  if (count > limits.recordsPerDataset) {
    throw new AppError(
      'LIMIT_RECORDS_PER_DATASET',
      `A dataset holds at most ${limits.recordsPerDataset.toLocaleString('en-US')} records. Remove some records or use another dataset.`,
    );
  }
}

/** `count` is the number of datasets the identity would have after the create. */
export function checkDatasetCount(count: number, limits: DatasetLimits = DEFAULT_LIMITS): void {
  if (count > limits.datasetsPerIdentity) {
    throw new AppError(
      'LIMIT_DATASETS_PER_IDENTITY',
      `An account holds at most ${limits.datasetsPerIdentity} datasets. Delete a dataset before creating another.`,
    );
  }
}

// A lone UTF-16 surrogate has no UTF-8 form: Buffer would silently write U+FFFD and change the data.
// In a `u` regex a surrogate pair is one code point, so only lone surrogates match.
const LONE_SURROGATE = /\p{Surrogate}/u;

function checkUtf8(text: string, what: 'key' | 'value'): void {
  if (LONE_SURROGATE.test(text)) {
    throw new AppError('LIMIT_NOT_UTF8', `A record ${what} must be valid Unicode text (it holds a lone surrogate), so it can be stored as UTF-8.`);
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} bytes`;
}
