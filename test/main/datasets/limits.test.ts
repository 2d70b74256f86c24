// The limits table of docs/sync-protocol.md: each refused with its own code and a sentence naming the limit.
import { expect, test } from 'vitest';
import { thrown } from '../../support/app-error';
import {
  checkDatasetCount,
  checkDatasetName,
  checkKey,
  checkRecordCount,
  checkValue,
  DEFAULT_LIMITS,
} from '../../../main/datasets/limits';


test('a dataset name is 1–128 characters of [A-Za-z0-9_.:-]', () => {
  for (const good of ['a', 'Notes_2024.v1:draft-x', 'x'.repeat(128)]) expect(() => checkDatasetName(good)).not.toThrow();
  for (const bad of ['', 'x'.repeat(129), 'has space', 'hash#sign', 'slash/no', 'émoji']) {
    const error = thrown(() => checkDatasetName(bad));
    expect(error.code).toBe('LIMIT_DATASET_NAME');
    expect(error.message).toContain('1 to 128 characters');
  }
});

test('a record key is 1–128 UTF-8 bytes, counted in bytes not characters', () => {
  expect(() => checkKey('k'.repeat(128))).not.toThrow();
  expect(() => checkKey('é'.repeat(64))).not.toThrow();
  for (const bad of ['', 'k'.repeat(129), 'é'.repeat(65)]) {
    const error = thrown(() => checkKey(bad));
    expect(error.code).toBe('LIMIT_KEY_SIZE');
    expect(error.message).toContain('128 bytes');
  }
});

test('a record value is at most 192 KiB of UTF-8', () => {
  expect(() => checkValue('')).not.toThrow();
  expect(() => checkValue('v'.repeat(192 * 1024))).not.toThrow();
  const error = thrown(() => checkValue('€'.repeat(70_000)));
  expect(error.code).toBe('LIMIT_VALUE_SIZE');
  expect(error.message).toContain('192 KiB');
});

test('text with a lone surrogate cannot be stored as UTF-8 and is refused, not altered', () => {
  expect(thrown(() => checkValue('half \ud83d pair')).code).toBe('LIMIT_NOT_UTF8');
  expect(thrown(() => checkKey('\udc00')).code).toBe('LIMIT_NOT_UTF8');
  expect(() => checkValue('whole 😀 pair')).not.toThrow();
});

test('a dataset holds at most 100,000 records and an identity at most 100 datasets', () => {
  expect(() => checkRecordCount(DEFAULT_LIMITS.recordsPerDataset)).not.toThrow();
  const records = thrown(() => checkRecordCount(DEFAULT_LIMITS.recordsPerDataset + 1));
  expect(records.code).toBe('LIMIT_RECORDS_PER_DATASET');
  expect(records.message).toContain('100,000 records');

  expect(() => checkDatasetCount(100)).not.toThrow();
  const datasets = thrown(() => checkDatasetCount(101));
  expect(datasets.code).toBe('LIMIT_DATASETS_PER_IDENTITY');
  expect(datasets.message).toContain('100 datasets');
});
