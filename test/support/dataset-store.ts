// Dataset stores on real SQLite files in temp profile dirs, with a clock the test moves, and
// removal of every dir made once the test file is done.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openDatasetStore, type OpenedDatasetStore, type DatasetStoreOptions } from '../../main/datasets/store/dataset-store';

/** A clock that moves 1 ms per reading unless set: deterministic device times for lastWriterWins. */
export function testClock(start = 1_800_000_000_000): { now: () => number; set(at: number): void } {
  let at = start;
  return { now: () => (at += 1), set: (next) => void (at = next - 1) };
}

/** A new temp profile dir, removed after the test file. */
export function tempProfileDir(label = 'datasets'): string {
  const dir = mkdtempSync(join(tmpdir(), `${label}-`));
  made.push(dir);
  return dir;
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function openTestStore(options: Partial<DatasetStoreOptions> = {}): OpenedDatasetStore {
  return openDatasetStore({
    profileDir: options.profileDir ?? tempProfileDir(),
    deviceId: options.deviceId ?? 'device-a',
    now: options.now ?? testClock().now,
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.defaultDeviceName === undefined ? {} : { defaultDeviceName: options.defaultDeviceName }),
  });
}
