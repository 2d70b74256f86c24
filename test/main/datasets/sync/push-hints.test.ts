// The push hints' receiver and publisher against a scripted channel, a scripted engine and a clock
// the test moves: which hints make a dataset sync and when, that a burst never queues more than one
// sync behind the one running, what is published after a commit, and that nothing is sent or synced
// once the channel is closed.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { PushChannel, PushChannelOptions, PushState } from '../../../../main/aws/push/push-channel';
import { createPushHints, HINT_DEBOUNCE_MS, MAX_DATASETS_WAITING, type PushHints, type PushStatus } from '../../../../main/datasets/sync/push-hints';
import type { DatasetSyncResult, SyncReport } from '../../../../main/datasets/sync/sync-engine';
import { emptyResult } from '../../../../main/datasets/sync/sync-context';
import { createLogger } from '../../../../main/platform/log';

const ME = 'device-here';
const OTHER = 'device-there';
const hint = (ds: string, sc: number, dev = OTHER) => JSON.stringify({ v: 1, ds, sc, dev });

interface ScriptedChannel extends PushChannel {
  callbacks: Pick<PushChannelOptions, 'onEvent' | 'onState'>;
  started: boolean;
  stopped: boolean;
  published: string[];
  /** Each publish waits for the test to settle it: true delivered, false refused. */
  settlePublish(ok: boolean): void;
  tell(state: PushState): void;
}

function scriptedChannel(callbacks: Pick<PushChannelOptions, 'onEvent' | 'onState'>): ScriptedChannel {
  const waiting: { resolve(): void; reject(error: Error): void }[] = [];
  let state: PushState = 'connecting';
  const channel: ScriptedChannel = {
    callbacks,
    started: false,
    stopped: false,
    published: [],
    start() {
      channel.started = true;
    },
    publish(event) {
      channel.published.push(event);
      return new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }));
    },
    state: () => state,
    async stop() {
      channel.stopped = true;
      state = 'stopped';
      for (const each of waiting.splice(0)) each.reject(Object.assign(new Error('closed'), { code: 'PUSH_CLOSED' }));
    },
    settlePublish(ok) {
      const next = waiting.shift()!;
      if (ok) next.resolve();
      else next.reject(Object.assign(new Error('refused'), { code: 'PUSH_PUBLISH_FAILED' }));
    },
    tell(next) {
      state = next;
      callbacks.onState(next);
    },
  };
  return channel;
}

/**
 * A cloud of one counter per dataset and a device's copy of it: a sync takes as long as the test
 * wants, then brings the copy to the cloud's count as it was when the sync started (or later).
 */
function scriptedDevice() {
  const cloud = new Map<string, number>();
  const held = new Map<string, number>();
  /** `finish(upTo)`: the sync read the header later, when the cloud held `upTo`. */
  const syncs: { dataset: string; finish(upTo?: number): void }[] = [];
  let running = 0;
  let mostAtOnce = 0;
  let syncedAll = 0;
  return {
    cloud,
    held,
    syncs,
    mostAtOnce: () => mostAtOnce,
    syncedAll: () => syncedAll,
    storage: {
      syncState: (_identityId: string, dataset: string) => {
        const count = held.get(dataset);
        return count === undefined ? undefined : ({ lastSyncCount: count } as never);
      },
    },
    engine: {
      syncDataset(dataset: string): Promise<DatasetSyncResult> {
        const target = cloud.get(dataset) ?? 0;
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        return new Promise((resolve) => {
          syncs.push({
            dataset,
            finish(upTo = target) {
              running -= 1;
              held.set(dataset, upTo);
              resolve(emptyResult(dataset));
            },
          });
        });
      },
      async syncAll(): Promise<SyncReport> {
        syncedAll += 1;
        for (const [dataset, count] of cloud) held.set(dataset, count);
        return { datasets: [], unchanged: [] };
      },
    },
  };
}

let device: ReturnType<typeof scriptedDevice>;
let channels: ScriptedChannel[];
let statuses: PushStatus[];
let logLines: string[];
let hints: PushHints;

/** The channel open now. */
const channel = () => channels.at(-1)!;

beforeEach(() => {
  vi.useFakeTimers();
  device = scriptedDevice();
  channels = [];
  statuses = [];
  logLines = [];
  hints = createPushHints({
    openChannel: (callbacks) => {
      const opened = scriptedChannel(callbacks);
      channels.push(opened);
      return opened;
    },
    identityId: 'us-east-1:00000000-0000-0000-0000-000000000001',
    deviceId: ME,
    storage: device.storage,
    engine: device.engine,
    onStatus: (status) => statuses.push(status),
    log: createLogger({ write: (line) => logLines.push(line), level: 'debug' }),
  });
  hints.connect();
  channel().tell('subscribed');
});

afterEach(async () => {
  await hints.stop();
  vi.useRealTimers();
});

/** Another device committed `dataset` up to `sc` and said so. */
function committedElsewhere(dataset: string, sc: number): void {
  device.cloud.set(dataset, sc);
  channel().callbacks.onEvent(hint(dataset, sc));
}

describe('the receiver', () => {
  test('hints of another device for newer counts make ONE sync of that dataset, a moment after the first', async () => {
    device.held.set('notes', 2);
    committedElsewhere('notes', 3);
    committedElsewhere('notes', 4);
    await vi.advanceTimersByTimeAsync(HINT_DEBOUNCE_MS / 2);
    committedElsewhere('notes', 5);
    expect(device.syncs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(HINT_DEBOUNCE_MS / 2);
    expect(device.syncs.map((each) => each.dataset)).toEqual(['notes']);
    device.syncs[0]!.finish();
    await vi.advanceTimersByTimeAsync(HINT_DEBOUNCE_MS * 5);
    expect(device.held.get('notes')).toBe(5);
    expect(device.syncs).toHaveLength(1);
  });

  test('a steady stream of hints still syncs once per window, not never', async () => {
    device.held.set('notes', 0);
    for (let sc = 1; sc <= 10; sc += 1) {
      committedElsewhere('notes', sc);
      await vi.advanceTimersByTimeAsync(HINT_DEBOUNCE_MS / 4);
    }
    expect(device.syncs.length).toBeGreaterThanOrEqual(1);
  });

  test('its own hints, and hints for a count this copy holds, start nothing', async () => {
    device.held.set('notes', 7);
    device.cloud.set('notes', 7);
    channel().callbacks.onEvent(hint('notes', 8, ME));
    channel().callbacks.onEvent(hint('notes', 7));
    channel().callbacks.onEvent(hint('notes', 3));
    await vi.advanceTimersByTimeAsync(HINT_DEBOUNCE_MS * 3);
    expect(device.syncs).toHaveLength(0);
    expect(hints.counts()).toMatchObject({ received: 3, own: 1, stale: 2, synced: 0 });
  });

  test('a dataset this device does not have yet is synced', async () => {
    committedElsewhere('made-elsewhere', 1);
    await vi.advanceTimersByTimeAsync(HINT_DEBOUNCE_MS);
    expect(device.syncs.map((each) => each.dataset)).toEqual(['made-elsewhere']);
  });

  test('a hint a poll has overtaken before its sync starts is dropped', async () => {
    device.held.set('notes', 1);
    committedElsewhere('notes', 2);
    await device.engine.syncAll();
    await vi.advanceTimersByTimeAsync(HINT_DEBOUNCE_MS * 2);
    expect(device.syncs).toHaveLength(0);
  });

  test('what is not a push hint is counted and ignored, and never throws into the channel', async () => {
    const junk = [
      '',
      'not json',
      'null',
      '[]',
      '"text"',
      JSON.stringify({ v: 2, ds: 'notes', sc: 9, dev: OTHER }),
      JSON.stringify({ v: 1, ds: 'notes', sc: 9 }),
      JSON.stringify({ v: 1, ds: 'notes', sc: 9, dev: OTHER, extra: true }),
      JSON.stringify({ v: 1, ds: 'notes', sc: 0, dev: OTHER }),
      JSON.stringify({ v: 1, ds: 'notes', sc: 1.5, dev: OTHER }),
      JSON.stringify({ v: 1, ds: 'notes', sc: '9', dev: OTHER }),
      JSON.stringify({ v: 1, ds: 'no#hash', sc: 9, dev: OTHER }),
      JSON.stringify({ v: 1, ds: 'a space', sc: 9, dev: OTHER }),
      JSON.stringify({ v: 1, ds: '', sc: 9, dev: OTHER }),
      JSON.stringify({ v: 1, ds: 'notes', sc: 9, dev: OTHER, pad: 'x'.repeat(10_000) }),
      '{"v":1,"ds":"__proto__","sc":9,"dev":"x","__proto__":{"polluted":true}}',
    ];
    for (const text of junk) expect(() => channel().callbacks.onEvent(text)).not.toThrow();
    await vi.advanceTimersByTimeAsync(HINT_DEBOUNCE_MS * 3);
    expect(hints.counts()).toMatchObject({ received: junk.length, invalid: junk.length, synced: 0 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Written once, then counted: a forger cannot fill the log.
    expect(logLines.filter((line) => line.includes('not a push hint'))).toHaveLength(1);
  });

  test('a burst of hints while the sync runs queues ONE more sync, and only if the copy is still behind', async () => {
    device.held.set('notes', 0);
    committedElsewhere('notes', 1);
    await vi.advanceTimersByTimeAsync(HINT_DEBOUNCE_MS);
    expect(device.syncs).toHaveLength(1);
    // 200 commits elsewhere while the first sync runs, which brings only the first.
    for (let sc = 2; sc <= 200; sc += 1) committedElsewhere('notes', sc);
    device.cloud.set('notes', 200);
    await vi.advanceTimersByTimeAsync(HINT_DEBOUNCE_MS * 10);
    expect(device.syncs).toHaveLength(1);
    device.syncs[0]!.finish();
    await vi.advanceTimersByTimeAsync(HINT_DEBOUNCE_MS);
    expect(device.syncs).toHaveLength(2);
    device.syncs[1]!.finish();
    await vi.advanceTimersByTimeAsync(HINT_DEBOUNCE_MS * 10);
    expect(device.held.get('notes')).toBe(200);
    expect(device.syncs).toHaveLength(2);
    expect(device.mostAtOnce()).toBe(1);

    // The same burst, but the running sync already brings all of it: no follow-up.
    committedElsewhere('notes', 201);
    await vi.advanceTimersByTimeAsync(HINT_DEBOUNCE_MS);
    for (let sc = 202; sc <= 300; sc += 1) channel().callbacks.onEvent(hint('notes', sc));
    device.cloud.set('notes', 300);
    expect(device.syncs).toHaveLength(3);
    device.syncs[2]!.finish(300);
    await vi.advanceTimersByTimeAsync(HINT_DEBOUNCE_MS * 10);
    expect(device.syncs).toHaveLength(3);
  });

  test('hints for more datasets at once than an identity may hold become one sync of all', async () => {
    for (let n = 0; n < MAX_DATASETS_WAITING + 50; n += 1) committedElsewhere(`ds${n}`, 1);
    await vi.advanceTimersByTimeAsync(HINT_DEBOUNCE_MS);
    expect(device.syncs).toHaveLength(MAX_DATASETS_WAITING);
    expect(device.syncedAll()).toBe(1);
    for (const each of device.syncs) each.finish();
  });
});

describe('the publisher', () => {
  test('each landed commit is published; per dataset one at a time and the latest only, other datasets alongside', async () => {
    hints.committed('notes', 1);
    hints.committed('notes', 2);
    hints.committed('notes', 3);
    hints.committed('todo', 9);
    expect(channel().published).toEqual([hint('notes', 1, ME), hint('todo', 9, ME)]);
    channel().settlePublish(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(channel().published).toEqual([hint('notes', 1, ME), hint('todo', 9, ME), hint('notes', 3, ME)]);
    channel().settlePublish(true);
    channel().settlePublish(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(hints.counts()).toMatchObject({ published: 3, publishFailed: 0 });
  });

  test('a failed publish is dropped, never sent again, and logged once however often it fails', async () => {
    for (let sc = 1; sc <= 5; sc += 1) {
      hints.committed('notes', sc);
      channel().settlePublish(false);
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(channel().published).toEqual([1, 2, 3, 4, 5].map((sc) => hint('notes', sc, ME)));
    expect(hints.counts()).toMatchObject({ published: 0, publishFailed: 5 });
    expect(logLines.filter((line) => line.includes('could not publish a push hint'))).toHaveLength(1);
  });
});

describe('the connection', () => {
  test('the scheduler hears subscribed and not; a disconnect closes the channel, and then nothing is published or synced', async () => {
    expect(statuses).toEqual(['connecting', 'subscribed']);
    channel().tell('down');
    channel().tell('connecting');
    channel().tell('subscribed');
    expect(statuses).toEqual(['connecting', 'subscribed', 'down', 'connecting', 'subscribed']);

    device.held.set('notes', 0);
    committedElsewhere('notes', 1);
    const closed = channel();
    await hints.disconnect();
    expect(closed.stopped).toBe(true);
    expect(hints.status()).toBe('off');
    expect(statuses.at(-1)).toBe('off');
    // A hint that was waiting, one the closed channel still delivers, and a commit while off: nothing.
    closed.callbacks.onEvent(hint('notes', 2));
    closed.callbacks.onState('subscribed');
    hints.committed('notes', 5);
    await vi.advanceTimersByTimeAsync(HINT_DEBOUNCE_MS * 3);
    expect(device.syncs).toHaveLength(0);
    expect(closed.published).toEqual([]);
    expect(hints.status()).toBe('off');

    // Back online: a new channel, as the transport cannot be started twice.
    hints.connect();
    expect(channels).toHaveLength(2);
    expect(channel().started).toBe(true);
    channel().tell('subscribed');
    expect(statuses.slice(-3)).toEqual(['off', 'connecting', 'subscribed']);
  });

  test('stopped, it closes the channel, forgets what waited, and a connect opens nothing', async () => {
    device.held.set('notes', 0);
    committedElsewhere('notes', 1);
    hints.committed('todo', 1);
    await hints.stop();
    expect(channels.every((each) => each.stopped)).toBe(true);
    await vi.advanceTimersByTimeAsync(HINT_DEBOUNCE_MS * 3);
    expect(device.syncs).toHaveLength(0);
    hints.connect();
    expect(channels).toHaveLength(1);
    expect(hints.counts().publishFailed).toBe(1);
  });
});
