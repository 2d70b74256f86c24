// Where an identity's push hints travel, and which hints the app takes as such.
import { expect, test } from 'vitest';
import { SYNC_HINT_NAME_MAX_CHARS, SYNC_NAMESPACE, syncChannelOf, syncHintSchema } from '../../shared/sync-channel';

test("an identity's channel is /sync/ and the uuid after its identity ID's colon, letter for letter", () => {
  expect(SYNC_NAMESPACE).toBe('sync');
  expect(syncChannelOf('us-east-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0')).toBe('/sync/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
  expect(syncChannelOf('eu-west-1:ABC')).toBe('/sync/ABC');
});

test('an identity ID without a region, a uuid or with a second colon has no channel, and says so', () => {
  for (const identityId of ['', 'us-east-1', 'us-east-1:', ':0f1e2d3c', '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', 'us-east-1:a:b']) {
    expect(() => syncChannelOf(identityId), JSON.stringify(identityId)).toThrow(/is not a Cognito identity ID \(region:uuid\), so it has no sync channel/);
  }
});

test('a hint is version 1 with a dataset name, a positive safe-integer sync count and a device ID', () => {
  const hint = { v: 1, ds: 'notes', sc: 42, dev: 'device-1' };
  expect(syncHintSchema.parse(hint)).toEqual(hint);
  const long = 'x'.repeat(SYNC_HINT_NAME_MAX_CHARS);
  expect(syncHintSchema.safeParse({ ...hint, ds: long, dev: long, sc: Number.MAX_SAFE_INTEGER }).success).toBe(true);
});

test('anything else is not a hint: another version, an empty or too long name, a count that is not a positive safe integer, another key', () => {
  const hint = { v: 1, ds: 'notes', sc: 42, dev: 'device-1' };
  const tooLong = 'x'.repeat(SYNC_HINT_NAME_MAX_CHARS + 1);
  const refused = [
    { ...hint, v: 2 },
    { ...hint, ds: '' },
    { ...hint, ds: tooLong },
    { ...hint, dev: '' },
    { ...hint, dev: tooLong },
    { ...hint, sc: 0 },
    { ...hint, sc: -3 },
    { ...hint, sc: 2.5 },
    { ...hint, sc: 2 ** 53 },
    { ...hint, sc: '42' },
    { ...hint, extra: 1 },
    { v: 1, ds: 'notes', sc: 42 },
    null,
    'hint',
  ];
  for (const payload of refused) expect(syncHintSchema.safeParse(payload).success, JSON.stringify(payload)).toBe(false);
});
