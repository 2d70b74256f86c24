// How a push is cut into commits, before any request is made.
import { expect, test } from 'vitest';
import { jsonBytes, MAX_COMMIT_BYTES, MAX_REQUEST_BYTES, recordItemBytes, recordRequestBytes, splitIntoCommits, type RecordChange } from '../../../main/aws/dataset-table';

const change = (key: string, value: string | undefined): RecordChange => ({ key, value, deviceLastModified: 1 });

test('commits hold at most 99 records, in order', () => {
  const changes = Array.from({ length: 199 }, (_, index) => change(`k${index}`, 'v'));
  const commits = splitIntoCommits('d', changes);
  expect(commits.map((each) => each.length)).toEqual([99, 99, 1]);
  expect(commits.flat()).toEqual(changes);
});

test('commits stay under 4 MB of items, and one large record still makes a commit', () => {
  const changes = Array.from({ length: 30 }, (_, index) => change(`k${index}`, 'x'.repeat(200_000)));
  const commits = splitIntoCommits('d', changes);
  for (const commit of commits) expect(commit.reduce((sum, each) => sum + recordItemBytes('d', each), 0)).toBeLessThanOrEqual(MAX_COMMIT_BYTES);
  expect(commits.flat()).toHaveLength(30);
  expect(splitIntoCommits('d', [change('only', 'x'.repeat(300_000))])).toHaveLength(1);
});

test('a removal is a small item, and nothing to push is no commit', () => {
  expect(recordItemBytes('d', change('k', undefined))).toBeLessThan(recordItemBytes('d', change('k', 'a value')));
  expect(splitIntoCommits('d', [])).toEqual([]);
});

test('commits are budgeted by the request as sent: a control character is six bytes of JSON, a quote two', () => {
  const control = Array.from({ length: 20 }, (_, index) => change(`k${index}`, `${index}${'\u0001'.repeat(170_000)}`));
  const commits = splitIntoCommits('d', control);
  expect(commits.length).toBeGreaterThanOrEqual(2);
  expect(commits.flat()).toEqual(control);
  for (const commit of commits) expect(commit.reduce((sum, each) => sum + recordRequestBytes('d', each), 0)).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
  expect(jsonBytes('\u0001"\\😀é')).toBe(2 + 6 + 2 + 2 + 4 + 2);
  expect(recordRequestBytes('d', change('k', '"'.repeat(1000)))).toBeGreaterThan(2000);
});
