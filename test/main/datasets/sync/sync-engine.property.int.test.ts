// Random histories on three devices of one user — puts (of values from the whole of Unicode, control
// characters included), removes, dataset deletes, syncs, crashes (a device dropped and reopened from
// its files between two steps), injected throttling and 5xx at the gateway, a buggy device that
// commits malformed items into the user's own partition, and push hints (every landed commit
// published; delivered, lost, duplicated or reordered, the syncs they start running beside the next
// steps or awaited) — then everyone syncs quietly. Every replica must equal the remote; under
// lastWriterWins each key must hold the write with the greatest (device time, device ID); under
// manual no value written disappears unless it was overwritten where it was seen or a conflict
// listed it (the quiet phase then settles every conflict with "theirs").
// Runs: 200 in CI, 25 locally, PROPERTY_RUNS to choose; fast-check prints the seed on failure,
// PROPERTY_SEED replays it, FOUND keeps the histories that once failed, PROPERTY_MAX_STEPS makes
// histories longer (14 steps by default).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AttributeValue, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../../localcloud/start-local-cloud';
import * as remote from '../../../../main/aws/dataset-table';
import { DATASET_PREFIX, PARTITION_KEY, RECORD_PREFIX, SORT_KEY, SYNC_KEY_ATTRIBUTE, syncKey } from '../../../../main/aws/table-schema';
import type { PushChannel, PushChannelOptions } from '../../../../main/aws/push/push-channel';
import { DEFAULT_LIMITS } from '../../../../main/datasets/limits';
import { createPushHints, type PushHints } from '../../../../main/datasets/sync/push-hints';
import { isAppError } from '../../../../shared/errors';
import { signInCloudUser } from '../../../support/cloud-user';
import { openSyncDevice, remoteRecords, type CloudUser, type SyncDevice } from '../../../support/sync-device';

const RUNS = Number(process.env.PROPERTY_RUNS ?? (process.env.CI ? 200 : 25));
const DEVICES = 3;
const DATASETS = ['d0', 'd1'];
const KEYS = ['k0', 'k1', 'k2'];

let root: string;
let cloud: LocalCloud;
let user: CloudUser;
let runNumber = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sync-property-'));
  cloud = await startLocalCloud({ inMemory: true });
  user = await signInCloudUser(cloud, root, 0);
});

afterAll(async () => {
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

type Step =
  | { kind: 'put'; device: number; dataset: number; key: number; value: string }
  | { kind: 'remove'; device: number; dataset: number; key: number }
  | { kind: 'deleteDataset'; device: number; dataset: number }
  | { kind: 'sync'; device: number; dataset: number }
  | { kind: 'crash'; device: number }
  | { kind: 'faults'; on: boolean }
  | { kind: 'malformed'; device: number; dataset: number; items: number[] }
  /** The hints published since the last such step reach every device, with a fault; `settle`: their syncs are awaited. */
  | { kind: 'hints'; fault: HintFault; settle: boolean };

type HintFault = 'deliver' | 'lose' | 'duplicate' | 'reorder';

const device = fc.integer({ min: 0, max: DEVICES - 1 });
const dataset = fc.integer({ min: 0, max: DATASETS.length - 1 });
const key = fc.integer({ min: 0, max: KEYS.length - 1 });
// Any code point but a lone surrogate (which no write accepts): control characters, quotes,
// backslashes, astral characters; now and then a long run of the worst case for JSON (6 bytes each).
const anyValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('a', 'b', 'c', 'é', '') },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((length) => '\u0001"\\'.repeat(length).slice(0, length)) },
);
/** Kinds of malformed record the buggy device writes (see malformedItem). */
const MALFORMED_KINDS = 7;
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('put' as const), device, dataset, key, value: anyValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), device, dataset, key }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteDataset' as const), device, dataset }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('sync' as const), device, dataset }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crash' as const), device }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('faults' as const), on: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('malformed' as const),
      device,
      dataset,
      items: fc.array(fc.integer({ min: 0, max: MALFORMED_KINDS - 1 }), { minLength: 1, maxLength: 4 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('hints' as const),
      fault: fc.constantFrom<HintFault>('deliver', 'lose', 'duplicate', 'reorder'),
      settle: fc.boolean(),
    }),
  },
);

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number | string): AttributeValue => ({ N: String(value) });

/**
 * A record item no correct device writes, committed at `syncCount` of `generation`. Never at one of
 * KEYS: a Put there would replace a real record in the table, which is loss no sync can undo.
 */
function malformedItem(kind: number, dataset: string, syncCount: number, generation: number, nth: number): Record<string, AttributeValue> {
  const item = (key: string, fields: Record<string, AttributeValue> = {}): Record<string, AttributeValue> => ({
    [SORT_KEY]: S(`${RECORD_PREFIX}${dataset}#${key}`),
    [SYNC_KEY_ATTRIBUTE]: S(syncKey(dataset, syncCount)),
    value: S('bad'),
    deleted: { BOOL: false },
    syncCount: N(syncCount),
    generation: N(generation),
    lastModified: N(1),
    lastModifiedBy: S('buggy-device'),
    deviceLastModified: N(1),
    ...fields,
  });
  switch (kind) {
    case 0:
      return item(`long-${nth}-${'k'.repeat(DEFAULT_LIMITS.keyMaxBytes)}`);
    case 1:
      return item('');
    case 2:
      return { ...item(`borrowed-${nth}`), [SORT_KEY]: S(`${RECORD_PREFIX}${dataset}-elsewhere#borrowed-${nth}`) };
    case 3:
      return item(`huge-count-${nth}`, { syncCount: N('100000000000000000000') });
    case 4:
      return item(`huge-time-${nth}`, { deviceLastModified: N('1e100') });
    case 5:
      return item(`too-big-${nth}`, { value: S('v'.repeat(DEFAULT_LIMITS.valueMaxBytes + 1)) });
    default:
      return item(`number-value-${nth}`, { value: N(7) });
  }
}

/**
 * The buggy device: ONE TransactWriteItems that moves the header by one commit, as a real commit
 * does (so other devices pull it), and puts only malformed items. Nothing when there is no live header.
 */
async function commitMalformed(target: SyncDevice, dataset: string, kinds: number[]): Promise<void> {
  const header = await remote.getHeader(target.table, dataset);
  if (header === undefined || header.deleted) return;
  const next = header.syncCount + 1;
  const key = (sortKey: string) => ({ [PARTITION_KEY]: S(target.identityId), [SORT_KEY]: S(sortKey) });
  try {
    await target.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Update: {
              TableName: target.table.tableName,
              Key: key(`${DATASET_PREFIX}${dataset}`),
              ConditionExpression: '#syncCount = :expected',
              UpdateExpression: 'SET #syncCount = :next',
              ExpressionAttributeNames: { '#syncCount': 'syncCount' },
              ExpressionAttributeValues: { ':expected': N(header.syncCount), ':next': N(next) },
            },
          },
          // Each kind once: one transaction may not touch an item twice (the empty key has one item).
          ...[...new Set(kinds)].map((kind, nth) => ({
            Put: { TableName: target.table.tableName, Item: { [PARTITION_KEY]: S(target.identityId), ...malformedItem(kind, dataset, next, header.generation, nth) } },
          })),
        ],
      }),
    );
  } catch (error) {
    // Another device committed first, or an injected fault: a buggy device loses races too.
    if (!['TransactionCanceledException', 'ProvisionedThroughputExceededException', 'InternalServerError'].includes((error as Error).name)) throw error;
  }
}

interface Write {
  dataset: string;
  key: string;
  /** null: removed. */
  value: string | null;
  time: number;
  deviceId: string;
}

/** A sync may fail under injected faults, always with an AppError; anything else is a bug. */
async function syncTolerantly(target: SyncDevice, name: string): Promise<void> {
  try {
    await target.engine.syncDataset(name);
  } catch (error) {
    if (!isAppError(error) || error.code === 'INTERNAL') throw error;
  }
}

interface Observations {
  writes: Write[];
  /** Values a device replaced while holding them: a later write or removal, or a dataset delete. */
  superseded: Set<string>;
  /** Values seen on either side of a listed conflict. */
  listed: Set<string>;
}

function observeConflicts(target: SyncDevice, name: string, seen: Observations): void {
  for (const conflict of target.store.listConflicts(target.identityId, name)) {
    if (conflict.mine.value !== null) seen.listed.add(conflict.mine.value);
    if (conflict.theirs.value !== null) seen.listed.add(conflict.theirs.value);
  }
}

/** What a device holds before it changes: those values are knowingly replaced. */
function noteReplaced(target: SyncDevice, name: string, keys: readonly string[], seen: Observations): void {
  for (const key of keys) {
    const held = target.store.getRecord(target.identityId, name, key)?.value;
    if (held !== undefined) seen.superseded.add(held);
  }
}

/**
 * The channel every device's push hints share: what one publishes waits in `sent` until a 'hints'
 * step hands it to every device's receiver (each ignores its own), as AppSync would, or not.
 */
function createHintBus() {
  const sent: string[] = [];
  const receivers = new Set<PushChannelOptions['onEvent']>();
  return {
    open(callbacks: Pick<PushChannelOptions, 'onEvent' | 'onState'>): PushChannel {
      return {
        start() {
          receivers.add(callbacks.onEvent);
          callbacks.onState('subscribed');
        },
        publish: async (event) => void sent.push(event),
        state: () => (receivers.has(callbacks.onEvent) ? 'subscribed' : 'stopped'),
        async stop() {
          receivers.delete(callbacks.onEvent);
          callbacks.onState('stopped');
        },
      };
    },
    deliver(fault: HintFault): void {
      const taken = sent.splice(0);
      const delivered =
        fault === 'lose' ? taken.filter((_, index) => index % 2 === 1)
        : fault === 'duplicate' ? taken.flatMap((event) => [event, event])
        : fault === 'reorder' ? taken.reverse()
        : taken;
      for (const event of delivered) for (const receive of receivers) receive(event);
    },
  };
}

async function runHistory(steps: Step[], policy: 'lastWriterWins' | 'manual'): Promise<void> {
  runNumber += 1;
  const names = DATASETS.map((name) => `run${runNumber}-${name}`);
  // One logical clock for every device: each write has its own time, and the oracle knows it.
  let clock = 1_000;
  const now = () => clock;
  const dirs = await Promise.all(Array.from({ length: DEVICES }, () => mkdtemp(join(root, 'device-'))));
  const bus = createHintBus();
  const hints: (PushHints | undefined)[] = [];
  // Syncs the hints started that failed as no sync may (the steps' own syncs throw instead).
  const unexpected: unknown[] = [];
  const seen: Observations = { writes: [], superseded: new Set(), listed: new Set() };
  const open = async (index: number) => {
    const opened = await openSyncDevice(user, root, {
      profileDir: dirs[index],
      maxAttempts: 20,
      now,
      engine: { committed: (dataset, syncCount) => hints[index]?.committed(dataset, syncCount) },
    });
    const pushHints = createPushHints({
      openChannel: bus.open,
      identityId: opened.identityId,
      deviceId: opened.deviceId,
      storage: opened.store.syncStorage,
      // A hinted sync is observed as the steps' syncs are: a conflict it lists counts as listed.
      engine: {
        syncDataset: async (name) => {
          try {
            return await opened.engine.syncDataset(name);
          } catch (error) {
            if (!isAppError(error) || error.code === 'INTERNAL') unexpected.push(error);
            throw error;
          } finally {
            observeConflicts(opened, name, seen);
          }
        },
        syncAll: () => opened.engine.syncAll(),
      },
      debounceMs: 0,
    });
    hints[index] = pushHints;
    pushHints.connect();
    return opened;
  };
  /** No hinted sync waits or runs on `index` any more. */
  const quietHints = async (index: number) => {
    await hints[index]?.stop();
    await devices[index]!.engine.idle();
  };
  const devices = await Promise.all(dirs.map((_, index) => open(index)));
  const deleted = new Set<string>();
  const prepare = (target: SyncDevice, name: string) => {
    target.store.openOrCreate(target.identityId, name);
    target.store.setConflictPolicy(target.identityId, name, policy);
  };
  const syncObserved = async (target: SyncDevice, name: string) => {
    await syncTolerantly(target, name);
    observeConflicts(target, name, seen);
  };
  try {
    for (const [index, each] of steps.entries()) {
      clock += 1;
      switch (each.kind) {
        case 'put': {
          const target = devices[each.device]!;
          const name = names[each.dataset]!;
          const key = KEYS[each.key]!;
          // Unique per step, so a value names the write that made it.
          const value = `${each.value}${index}`;
          prepare(target, name);
          noteReplaced(target, name, [key], seen);
          if (target.store.put(target.identityId, name, key, value).changed) {
            seen.writes.push({ dataset: name, key, value, time: clock, deviceId: target.deviceId });
          }
          break;
        }
        case 'remove': {
          const target = devices[each.device]!;
          const name = names[each.dataset]!;
          const key = KEYS[each.key]!;
          prepare(target, name);
          noteReplaced(target, name, [key], seen);
          if (target.store.remove(target.identityId, name, key).changed) {
            seen.writes.push({ dataset: name, key, value: null, time: clock, deviceId: target.deviceId });
          }
          break;
        }
        case 'deleteDataset': {
          const target = devices[each.device]!;
          const name = names[each.dataset]!;
          if (target.store.listDatasets(target.identityId).some((summary) => summary.name === name)) {
            noteReplaced(target, name, KEYS, seen);
            target.store.deleteDataset(target.identityId, name);
            deleted.add(name);
          }
          break;
        }
        case 'sync':
          await syncObserved(devices[each.device]!, names[each.dataset]!);
          break;
        case 'crash':
          // A crash kills the syncs under way with the process; here they finish first, as the
          // store of a closed device cannot take them.
          await quietHints(each.device);
          devices[each.device]!.close();
          devices[each.device] = await open(each.device);
          break;
        case 'faults':
          cloud.setFaults(each.on ? { throttleRate: 0.2, serverErrorRate: 0.1 } : {});
          break;
        case 'malformed':
          await commitMalformed(devices[each.device]!, names[each.dataset]!, each.items);
          break;
        case 'hints':
          bus.deliver(each.fault);
          if (each.settle) {
            // The debounce (0 here) and a follow-up after a sync, then the syncs themselves.
            for (let turn = 0; turn < 3; turn += 1) {
              await new Promise((resolve) => setTimeout(resolve, 5));
              await Promise.all(devices.map((target) => target.engine.idle()));
            }
          }
          break;
      }
    }

    // Hints only help: whatever they started ends before the quiet syncs, which decide alone.
    for (const index of devices.keys()) await quietHints(index);
    expect(unexpected, 'hinted syncs that failed as no sync may').toEqual([]);

    // Quiet: no faults, everyone syncs until a whole round changes nothing; open conflicts are
    // settled with "theirs" (the remote's value), as a user choosing would.
    cloud.setFaults({});
    for (let round = 0; round < 8; round += 1) {
      let moved = 0;
      for (const target of devices) {
        for (const name of names) {
          // A pushed delete sends no record (pushed 0), yet the others have still to hear of it: a
          // sync that changed this copy's own sync state moved too.
          const stateOf = () => {
            const state = target.store.syncStorage.syncState(target.identityId, name);
            // When it last synced changes with every sync, whether anything moved or not.
            return JSON.stringify(state === undefined ? null : { ...state, lastSyncedAt: undefined });
          };
          const before = stateOf();
          const result = await target.engine.syncDataset(name);
          observeConflicts(target, name, seen);
          moved += result.pulled + result.pushed + (result.remoteReset === null ? 0 : 1) + (stateOf() === before ? 0 : 1);
          for (const conflict of target.store.listConflicts(target.identityId, name)) {
            target.store.resolveConflict(target.identityId, name, conflict.key, { keep: 'theirs' });
            moved += 1;
          }
        }
      }
      if (moved === 0) break;
    }

    const finalValues = new Set<string>();
    for (const name of names) {
      const expected = await remoteRecords(devices[0]!.table, name);
      for (const value of expected.values()) finalValues.add(value);
      // Only the good items: every key as a local write would accept it.
      for (const key of expected.keys()) expect(KEYS, `${name}: a key on the remote`).toContain(key);
      for (const target of devices) {
        expect(Object.fromEntries(target.records(name)), `${name} on a device`).toEqual(Object.fromEntries(expected));
        expect(target.store.listConflicts(target.identityId, name)).toEqual([]);
      }
      if (policy !== 'lastWriterWins' || deleted.has(name)) continue;
      // The oracle: per key, the write with the greatest (time, device ID); a removal leaves nothing.
      const winners = new Map<string, Write>();
      for (const write of seen.writes.filter((each) => each.dataset === name)) {
        const best = winners.get(write.key);
        if (best === undefined || write.time > best.time || (write.time === best.time && write.deviceId > best.deviceId)) winners.set(write.key, write);
      }
      const oracle = Object.fromEntries([...winners.values()].filter((write) => write.value !== null).map((write) => [write.key, write.value]));
      expect(Object.fromEntries(expected), `${name}: lastWriterWins`).toEqual(oracle);
    }
    if (policy === 'manual') {
      const vanished = seen.writes
        .map((write) => write.value)
        .filter((value): value is string => value !== null && !finalValues.has(value) && !seen.superseded.has(value) && !seen.listed.has(value));
      expect(vanished, 'values that disappeared without an overwrite or a conflict listing them').toEqual([]);
    }
  } finally {
    cloud.setFaults({});
    for (const index of devices.keys()) await quietHints(index).catch(() => undefined);
    for (const target of devices) target.close();
  }
}

const histories = fc.array(step, { minLength: 1, maxLength: Number(process.env.PROPERTY_MAX_STEPS ?? 14) });

/** Histories that once failed, run first on every run (seeds from CI and local runs). */
const FOUND: Step[][] = [
  // Seed -1423833072: deleted, re-created and deleted again after a sync — the delete never reached
  // the remote (the local generation was compared with the remote's).
  [
    { kind: 'put', device: 1, dataset: 1, key: 0, value: 'a' },
    { kind: 'sync', device: 1, dataset: 1 },
    { kind: 'deleteDataset', device: 1, dataset: 1 },
    { kind: 'put', device: 1, dataset: 1, key: 1, value: 'b' },
    { kind: 'deleteDataset', device: 1, dataset: 1 },
  ],
  // The same seed: deleted twice on one device before it ever synced, then written on another — the
  // write reached the remote but never this device.
  [
    { kind: 'put', device: 1, dataset: 1, key: 0, value: 'a' },
    { kind: 'deleteDataset', device: 1, dataset: 1 },
    { kind: 'put', device: 1, dataset: 1, key: 0, value: 'a' },
    { kind: 'deleteDataset', device: 1, dataset: 1 },
    { kind: 'put', device: 0, dataset: 1, key: 0, value: 'a' },
    { kind: 'put', device: 0, dataset: 0, key: 0, value: 'a' },
  ],
  // Seed 625743059: a delete of a copy that never synced left the device without the other
  // device's dataset until a second sync.
  [
    { kind: 'put', device: 1, dataset: 0, key: 0, value: 'a' },
    { kind: 'put', device: 0, dataset: 0, key: 0, value: 'a' },
    { kind: 'deleteDataset', device: 0, dataset: 0 },
    { kind: 'sync', device: 1, dataset: 0 },
    { kind: 'sync', device: 2, dataset: 0 },
  ],
  // Seed -1325855962 (CI, with push hints): a copy a hint brought, then the dataset deleted on the
  // device that wrote it — a device kept the record after quiet syncs.
  [
    { kind: 'put', device: 2, dataset: 0, key: 0, value: '\u0001' },
    { kind: 'sync', device: 2, dataset: 0 },
    { kind: 'hints', fault: 'deliver', settle: true },
    { kind: 'deleteDataset', device: 2, dataset: 0 },
  ],
];
/** Histories that show each fault kind on every run, whatever the seed draws. */
const ALWAYS: Step[][] = [
  // Every kind of malformed record committed between two devices' syncs, then values of control
  // characters, quotes and backslashes written over and around them.
  [
    { kind: 'put', device: 0, dataset: 0, key: 0, value: 'a' },
    { kind: 'sync', device: 0, dataset: 0 },
    { kind: 'malformed', device: 1, dataset: 0, items: Array.from({ length: MALFORMED_KINDS }, (_, kind) => kind) },
    { kind: 'put', device: 2, dataset: 0, key: 1, value: '\u0000\u0001"\\\u2028😀' },
    { kind: 'sync', device: 2, dataset: 0 },
    { kind: 'put', device: 1, dataset: 0, key: 0, value: '\u0001'.repeat(20_000) },
    { kind: 'sync', device: 1, dataset: 0 },
  ],
  // Every fault of the push hints, each after a commit: hints that start syncs beside the next steps
  // (a write and a sync of the same dataset meet one), lost ones the quiet syncs must make up for.
  [
    { kind: 'put', device: 0, dataset: 0, key: 0, value: 'a' },
    { kind: 'sync', device: 0, dataset: 0 },
    { kind: 'hints', fault: 'duplicate', settle: true },
    { kind: 'put', device: 1, dataset: 0, key: 0, value: 'b' },
    { kind: 'sync', device: 1, dataset: 0 },
    { kind: 'put', device: 2, dataset: 0, key: 1, value: 'c' },
    { kind: 'sync', device: 2, dataset: 0 },
    { kind: 'hints', fault: 'reorder', settle: false },
    { kind: 'put', device: 0, dataset: 0, key: 0, value: 'd' },
    { kind: 'sync', device: 0, dataset: 0 },
    { kind: 'deleteDataset', device: 1, dataset: 0 },
    { kind: 'sync', device: 1, dataset: 0 },
    { kind: 'hints', fault: 'lose', settle: false },
    { kind: 'crash', device: 2 },
    { kind: 'put', device: 2, dataset: 0, key: 2, value: 'e' },
    { kind: 'sync', device: 2, dataset: 0 },
    { kind: 'hints', fault: 'deliver', settle: true },
  ],
];
const examples = [...ALWAYS, ...FOUND].map((steps): [Step[]] => [steps]);
/** PROPERTY_SEED (and PROPERTY_PATH) replay what a failure printed. */
const replay = process.env.PROPERTY_SEED ? { seed: Number(process.env.PROPERTY_SEED), path: process.env.PROPERTY_PATH } : {};

test(`under lastWriterWins, after quiet syncs every replica equals the remote and the latest write wins (${RUNS} runs)`, async () => {
  await fc.assert(
    fc.asyncProperty(histories, (steps) => runHistory(steps, 'lastWriterWins')),
    { numRuns: RUNS, verbose: 1, examples, ...replay },
  );
}, 600_000);

test(`under manual, no write disappears without a conflict that lists it, and settled replicas equal the remote (${RUNS} runs)`, async () => {
  await fc.assert(
    fc.asyncProperty(histories, (steps) => runHistory(steps, 'manual')),
    { numRuns: RUNS, verbose: 1, examples, ...replay },
  );
}, 600_000);
