// Pull step 3 of docs/sync-protocol.md, one row of the merge table per test, every policy.
import { describe, expect, test } from 'vitest';
import { mergeRecord, type ConflictPolicy, type LocalSide, type PulledRecord } from '../../../../main/datasets/store/merge-record';

const ME = 'device-b';

function local(fields: Partial<LocalSide> = {}): LocalSide {
  return { value: 'mine', dirty: true, baseSyncCount: 3, deviceLastModified: 1_000, lastModifiedBy: ME, ...fields };
}

function remote(fields: Partial<PulledRecord> = {}): PulledRecord {
  return { key: 'k', value: 'theirs', syncCount: 5, deviceLastModified: 2_000, lastModifiedBy: 'device-c', ...fields };
}

const merge = (l: LocalSide | undefined, r: PulledRecord, policy: ConflictPolicy = 'manual') => mergeRecord({ local: l, remote: r, policy, deviceId: ME });

describe('without a local change the remote record is taken', () => {
  test('a key this device never held takes the remote value', () => {
    expect(merge(undefined, remote())).toEqual({ action: 'takeRemote', row: 'localAbsent' });
  });

  test('a key this device never held takes a remote removal too', () => {
    expect(merge(undefined, remote({ value: null }))).toEqual({ action: 'takeRemote', row: 'localAbsent' });
  });

  test('a clean local value takes the remote value', () => {
    expect(merge(local({ dirty: false }), remote())).toEqual({ action: 'takeRemote', row: 'localClean' });
  });

  test('a clean local value takes a remote removal', () => {
    expect(merge(local({ dirty: false }), remote({ value: null }))).toEqual({ action: 'takeRemote', row: 'localClean' });
  });

  test('a clean local tombstone takes a remote value (re-added elsewhere)', () => {
    expect(merge(local({ dirty: false, value: null }), remote())).toEqual({ action: 'takeRemote', row: 'localClean' });
  });
});

describe('a local change equal to the remote one is no conflict', () => {
  test('the same value on both sides takes the remote record, clean', () => {
    expect(merge(local({ value: 'same' }), remote({ value: 'same' }))).toEqual({ action: 'takeRemote', row: 'localEqual' });
  });

  test('removed on both sides takes the remote tombstone, clean', () => {
    expect(merge(local({ value: null }), remote({ value: null }))).toEqual({ action: 'takeRemote', row: 'localEqual' });
  });

  test('an empty string is a value, not a removal', () => {
    expect(merge(local({ value: '' }), remote({ value: null }), 'remote')).toMatchObject({ row: 'policy' });
  });
});

test('a remote record the local one is already based on changes nothing (a replayed page)', () => {
  expect(merge(local({ baseSyncCount: 5 }), remote({ syncCount: 5 }))).toEqual({ action: 'skip', row: 'staleRemote' });
  expect(merge(local({ dirty: false, baseSyncCount: 7 }), remote({ syncCount: 5 }))).toEqual({ action: 'skip', row: 'staleRemote' });
});

test("this device's own earlier write, committed before it could record so, is older than the local change", () => {
  expect(merge(local({ value: 'newer' }), remote({ value: 'older', lastModifiedBy: ME }))).toEqual({ action: 'keepLocal', row: 'ownEarlierWrite' });
});

describe('a local change against a different remote change is settled by the policy', () => {
  const cases: [string, LocalSide, PulledRecord][] = [
    ['both changed the value', local(), remote()],
    ['removed here, changed there', local({ value: null }), remote()],
    ['changed here, removed there', local(), remote({ value: null })],
  ];

  test.each(cases)('manual keeps both sides as a conflict: %s', (_, l, r) => {
    expect(merge(l, r, 'manual')).toEqual({ action: 'conflict', row: 'policy' });
  });

  test.each(cases)('remote takes theirs: %s', (_, l, r) => {
    expect(merge(l, r, 'remote')).toEqual({ action: 'takeRemote', row: 'policy' });
  });

  test.each(cases)('local keeps mine, to be pushed over theirs: %s', (_, l, r) => {
    expect(merge(l, r, 'local')).toEqual({ action: 'keepLocal', row: 'policy' });
  });

  test.each(cases)('value(v) writes v, to be pushed: %s', (_, l, r) => {
    expect(merge(l, r, { value: 'merged' })).toEqual({ action: 'write', value: 'merged', row: 'policy' });
    expect(merge(l, r, { value: null })).toEqual({ action: 'write', value: null, row: 'policy' });
  });
});

describe('lastWriterWins orders writes by (device time, device ID)', () => {
  test('the later remote write wins', () => {
    expect(merge(local({ deviceLastModified: 1_000 }), remote({ deviceLastModified: 2_000 }), 'lastWriterWins')).toEqual({
      action: 'takeRemote',
      row: 'policy',
    });
  });

  test('the later local write wins', () => {
    expect(merge(local({ deviceLastModified: 3_000 }), remote({ deviceLastModified: 2_000 }), 'lastWriterWins')).toEqual({
      action: 'keepLocal',
      row: 'policy',
    });
  });

  test('a clean local write later than the remote one is kept and pushed again (clocks that disagree)', () => {
    const later = local({ dirty: false, deviceLastModified: 9_000, lastModifiedBy: 'device-x' });
    expect(merge(later, remote({ deviceLastModified: 2_000 }), 'lastWriterWins')).toEqual({ action: 'keepLocal', row: 'localCleanButLater' });
    for (const policy of ['manual', 'remote', 'local'] as const) {
      expect(merge(later, remote({ deviceLastModified: 2_000 }), policy)).toEqual({ action: 'takeRemote', row: 'localClean' });
    }
  });

  test('at the same time the greater device ID wins, on both devices alike', () => {
    const at = 2_000;
    // device-b (local) against device-c (remote): c > b, so the remote wins here…
    expect(merge(local({ deviceLastModified: at }), remote({ deviceLastModified: at }), 'lastWriterWins')).toMatchObject({ action: 'takeRemote' });
    // …and on device-c, the same two writes keep c's.
    expect(
      mergeRecord({
        local: local({ deviceLastModified: at, lastModifiedBy: 'device-c', value: 'theirs-on-c' }),
        remote: remote({ deviceLastModified: at, lastModifiedBy: ME, value: 'mine-from-b' }),
        policy: 'lastWriterWins',
        deviceId: 'device-c',
      }),
    ).toMatchObject({ action: 'keepLocal' });
  });
});
