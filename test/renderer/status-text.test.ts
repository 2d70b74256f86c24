// What the status bar says, as plain words: a long error never hides what is waiting, and an
// account with nothing to sync yet does not say "Synced" and "never" side by side.
import { describe, expect, test } from 'vitest';
import type { SyncStatus } from '../../shared/ipc-contract';
import { liveUpdatesOf } from '../../main/ipc/handlers/sync';
import type { EngineStatus } from '../../main/datasets/sync/sync-status';
import { lastSyncText, liveUpdatesText, statusText, syncNotes } from '../../renderer/src/status/StatusBar';

const base: SyncStatus = { state: 'synced', pendingChanges: 0, conflicts: 0, lastSyncedAt: null, workOffline: false, datasets: [] };
const networkDown = { code: 'NETWORK_DOWN', message: "Can't reach DynamoDB at http://127.0.0.1:9. Check your internet connection and try again." } as const;

describe('the status bar', () => {
  test('a network error with changes waiting says first how many there are and that they are kept', () => {
    expect(statusText({ ...base, state: 'error', pendingChanges: 3, error: networkDown })).toBe(
      `3 changes pending, kept on this computer. ${networkDown.message}`,
    );
  });

  test('an error with nothing waiting is its sentence', () => {
    expect(statusText({ ...base, state: 'error', error: networkDown })).toBe(networkDown.message);
  });

  test('an account with nothing synced yet says Synced and no "never" beside it', () => {
    expect(statusText(base)).toBe('Synced');
    expect(lastSyncText(base)).toBeUndefined();
    expect(lastSyncText({ ...base, state: 'pending', pendingChanges: 1 })).toBe('Not synced yet');
    expect(lastSyncText({ ...base, lastSyncedAt: Date.now() })).toMatch(/^Last sync: /);
  });

  test('a dataset name in a note is isolated, so a bidi control in it reorders nothing after it', () => {
    const [note] = syncNotes({ ...base, unsupported: [{ name: '\u202Eevil', reason: 'name' }] });
    expect(note).toContain('\u2068\u202Eevil\u2069');
  });
});

describe('live updates beside the status', () => {
  const engine: EngineStatus = { overall: 'synced', pending: 0, conflicts: 0, done: 0, total: 0, pulled: 0, datasets: {} };

  test('"Live" while push hints are subscribed; "paused" while they connect or are down or refused', () => {
    expect(liveUpdatesOf({ ...engine, push: 'subscribed' }, false)).toEqual({ liveUpdates: 'live' });
    expect(liveUpdatesOf({ ...engine, push: 'connecting' }, false)).toEqual({ liveUpdates: 'polling' });
    expect(liveUpdatesOf({ ...engine, push: 'down' }, false)).toEqual({ liveUpdates: 'polling' });
    expect(liveUpdatesText('live').text).toBe('Live');
    expect(liveUpdatesText('polling').text).toBe('Live updates paused');
    expect(liveUpdatesText('polling').title).toMatch(/still arrive/);
  });

  test('nothing without an Events API in the profile, nor offline, where the status says Offline', () => {
    expect(liveUpdatesOf(engine, false)).toEqual({});
    expect(liveUpdatesOf({ ...engine, push: 'off' }, false)).toEqual({});
    expect(liveUpdatesOf({ ...engine, push: 'subscribed' }, true)).toEqual({});
    expect(liveUpdatesOf({ ...engine, overall: 'offline', push: 'down' }, false)).toEqual({});
  });
});
