// Random histories on three devices of one user — puts, removes, dataset deletes, syncs, crashes
// (a device dropped and reopened from its files between two steps) and injected throttling and 5xx
// at the gateway — then everyone syncs quietly. Every replica must equal the remote; under
// lastWriterWins each key must hold the write with the greatest (device time, device ID).
// Runs: 200 in CI, 25 locally, PROPERTY_RUNS to choose; fast-check prints the seed on failure.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../localcloud/start-local-cloud';
import { isAppError } from '../../../shared/errors';
import { signInCloudUser } from '../../support/cloud-user';
import { openSyncDevice, remoteRecords, type CloudUser, type SyncDevice } from '../../support/sync-device';

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
  | { kind: 'faults'; on: boolean };

const device = fc.integer({ min: 0, max: DEVICES - 1 });
const dataset = fc.integer({ min: 0, max: DATASETS.length - 1 });
const key = fc.integer({ min: 0, max: KEYS.length - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('put' as const), device, dataset, key, value: fc.constantFrom('a', 'b', 'c', 'é', '') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), device, dataset, key }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteDataset' as const), device, dataset }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('sync' as const), device, dataset }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crash' as const), device }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('faults' as const), on: fc.boolean() }) },
);

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

async function runHistory(steps: Step[], policy: 'lastWriterWins'): Promise<void> {
  runNumber += 1;
  const names = DATASETS.map((name) => `run${runNumber}-${name}`);
  // One logical clock for every device: each write has its own time, and the oracle knows it.
  let clock = 1_000;
  const now = () => clock;
  const dirs = await Promise.all(Array.from({ length: DEVICES }, () => mkdtemp(join(root, 'device-'))));
  const open = (index: number) => openSyncDevice(user, root, { profileDir: dirs[index], maxAttempts: 20, now });
  const devices = await Promise.all(dirs.map((_, index) => open(index)));
  const writes: Write[] = [];
  const deleted = new Set<string>();
  const prepare = (target: SyncDevice, name: string) => {
    target.store.openOrCreate(target.identityId, name);
    target.store.setConflictPolicy(target.identityId, name, policy);
  };
  try {
    for (const each of steps) {
      clock += 1;
      switch (each.kind) {
        case 'put': {
          const target = devices[each.device]!;
          const name = names[each.dataset]!;
          prepare(target, name);
          if (target.store.put(target.identityId, name, KEYS[each.key]!, each.value)) {
            writes.push({ dataset: name, key: KEYS[each.key]!, value: each.value, time: clock, deviceId: target.deviceId });
          }
          break;
        }
        case 'remove': {
          const target = devices[each.device]!;
          const name = names[each.dataset]!;
          prepare(target, name);
          if (target.store.remove(target.identityId, name, KEYS[each.key]!)) {
            writes.push({ dataset: name, key: KEYS[each.key]!, value: null, time: clock, deviceId: target.deviceId });
          }
          break;
        }
        case 'deleteDataset': {
          const target = devices[each.device]!;
          const name = names[each.dataset]!;
          if (target.store.listDatasets(target.identityId).some((summary) => summary.name === name)) {
            target.store.deleteDataset(target.identityId, name);
            deleted.add(name);
          }
          break;
        }
        case 'sync':
          await syncTolerantly(devices[each.device]!, names[each.dataset]!);
          break;
        case 'crash':
          devices[each.device]!.close();
          devices[each.device] = await open(each.device);
          break;
        case 'faults':
          cloud.setFaults(each.on ? { throttleRate: 0.2, serverErrorRate: 0.1 } : {});
          break;
      }
    }

    // Quiet: no faults, everyone syncs until a whole round changes nothing.
    cloud.setFaults({});
    for (let round = 0; round < 6; round += 1) {
      let moved = 0;
      for (const target of devices) {
        for (const name of names) {
          const result = await target.engine.syncDataset(name);
          moved += result.pulled + result.pushed + (result.remoteReset === null ? 0 : 1);
        }
      }
      if (moved === 0) break;
    }

    for (const name of names) {
      const expected = await remoteRecords(devices[0]!.table, name);
      for (const target of devices) {
        expect(Object.fromEntries(target.records(name)), `${name} on a device`).toEqual(Object.fromEntries(expected));
        expect(target.store.listConflicts(target.identityId, name)).toEqual([]);
      }
      if (deleted.has(name)) continue;
      // The oracle: per key, the write with the greatest (time, device ID); a removal leaves nothing.
      const winners = new Map<string, Write>();
      for (const write of writes.filter((each) => each.dataset === name)) {
        const best = winners.get(write.key);
        if (best === undefined || write.time > best.time || (write.time === best.time && write.deviceId > best.deviceId)) winners.set(write.key, write);
      }
      const oracle = Object.fromEntries([...winners.values()].filter((write) => write.value !== null).map((write) => [write.key, write.value]));
      expect(Object.fromEntries(expected), `${name}: lastWriterWins`).toEqual(oracle);
    }
  } finally {
    cloud.setFaults({});
    for (const target of devices) target.close();
  }
}

test(`under lastWriterWins, after quiet syncs every replica equals the remote and the latest write wins (${RUNS} runs)`, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), (steps) => runHistory(steps, 'lastWriterWins')),
    { numRuns: RUNS, verbose: 1 },
  );
}, 600_000);
