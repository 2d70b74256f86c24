// What the development entry points (npm start, start:web, npm run localcloud) use when no --cloud
// FILE is given: the local cloud in its data dir, as a cloud profile plus the demo users.
//
// One data dir is ONE cloud: its ports are kept (the issuer, the Logins key and the endpoints are
// made of them) and DynamoDB Local owns its files. So a second entry point on the same data dir —
// the second device of docs/architecture.md's two-device recipe, `npm start -- --profile-dir B` —
// joins the cloud the first one started instead of failing with PORT_IN_USE. The first one (the
// owner) writes `dev-cloud.json` (its pid and the description) once its cloud serves; others find
// it, check that the pid lives and the issuer answers, and register their own pid under
// `dev-cloud-users/`. When the owner is asked to stop while others still use the cloud, it says so
// and keeps serving until they are gone. Starting is serialized by an exclusive lock file, so two
// commands started at the same moment never both try to start it.
//
// Shipped code never imports this (test/build checks the bundle).
import { mkdirSync, openSync, closeSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudProfile } from '../shared/cloud-profile';
import { folderProblem, openPrivateFolder } from '../main/platform/private-folder';
import { LocalCloudError } from './local-cloud-error';
import { DEFAULT_DATA_DIR, startLocalCloud, type LocalCloudDescription } from './start-local-cloud';

export interface DevCloud {
  profile: CloudProfile;
  users: { username: string; password: string }[];
  /** Whether another command started this cloud and this one joined it. */
  shared: boolean;
  /** The pid of the command that started (owns) the cloud. */
  ownerPid: number;
  /** Leaves the cloud; the owner stops it once every command that joined has left. */
  stop(): Promise<void>;
}

export interface DevCloudOptions {
  /** Where the owner says that it waits for others before stopping (stderr by default). */
  say?: (line: string) => void;
  /** How long a command waits for another one that is starting the cloud right now. */
  startWaitMs?: number;
  /** How often the owner looks whether the commands that joined are still running. */
  pollMs?: number;
}

const RUNNING_FILE = 'dev-cloud.json';
const LOCK_FILE = 'dev-cloud.lock';
const USERS_DIR = 'dev-cloud-users';

interface RunningFile {
  pid: number;
  description: LocalCloudDescription;
}

export function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which is alive all the same.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The cloud another command runs in `dataDir`, when its owner lives and its issuer answers. */
async function findRunning(dataDir: string): Promise<RunningFile | undefined> {
  const running = readJson<RunningFile>(join(dataDir, RUNNING_FILE));
  if (running === undefined || running.pid === process.pid || !isAlive(running.pid)) return undefined;
  try {
    const answer = await fetch(new URL('.well-known/openid-configuration', `${running.description.issuer.replace(/\/$/, '')}/`), {
      signal: AbortSignal.timeout(3_000),
    });
    return answer.ok ? running : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the start lock, or says who holds it; a lock left by a command that died is taken over. */
function takeStartLock(dataDir: string): { taken: true; release(): void } | { taken: false; holder: number } {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { taken: true, release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readJson<number>(path));
      if (isAlive(holder)) return { taken: false, holder };
      rmSync(path, { force: true });
    }
  }
  return { taken: false, holder: 0 };
}

function liveUsers(dataDir: string): number[] {
  const dir = join(dataDir, USERS_DIR);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const pid = Number(name);
    if (isAlive(pid)) return [pid];
    rmSync(join(dir, name), { force: true });
    return [];
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function devCloudOf(description: LocalCloudDescription, shared: boolean, ownerPid: number, stop: () => Promise<void>): DevCloud {
  const { users, ...profile } = description;
  return { profile, users, shared, ownerPid, stop };
}

export async function startDevCloud(dataDir = DEFAULT_DATA_DIR, options: DevCloudOptions = {}): Promise<DevCloud> {
  const say = options.say ?? ((line: string) => process.stderr.write(`${line}\n`));
  const pollMs = options.pollMs ?? 500;
  const deadline = Date.now() + (options.startWaitMs ?? 180_000);
  const problem = folderProblem(dataDir);
  if (problem !== undefined) {
    throw new LocalCloudError('DATA_DIR_UNUSABLE', `The local cloud's data dir ${problem}. Move that file away, or choose another folder with --data-dir DIR (it is created when missing).`);
  }
  openPrivateFolder(dataDir);
  for (;;) {
    const running = await findRunning(dataDir);
    if (running !== undefined) return joinRunning(dataDir, running);
    const lock = takeStartLock(dataDir);
    if (lock.taken) {
      try {
        // The lock is ours, but a cloud may have come up between the look and the lock.
        const late = await findRunning(dataDir);
        if (late !== undefined) return joinRunning(dataDir, late);
        return await own(dataDir, say, pollMs);
      } finally {
        lock.release();
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`The local cloud in ${dataDir} is being started by another command (pid ${lock.holder}) that has not finished; stop it or wait, then try again.`);
    }
    await sleep(pollMs);
  }
}

function joinRunning(dataDir: string, running: RunningFile): DevCloud {
  const dir = join(dataDir, USERS_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mine = join(dir, String(process.pid));
  writeFileSync(mine, '', { mode: 0o600 });
  return devCloudOf(running.description, true, running.pid, async () => rmSync(mine, { force: true }));
}

async function own(dataDir: string, say: (line: string) => void, pollMs: number): Promise<DevCloud> {
  const cloud = await startLocalCloud({ dataDir });
  const description = cloud.describe();
  const runningPath = join(dataDir, RUNNING_FILE);
  const temporary = `${runningPath}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ pid: process.pid, description } satisfies RunningFile)}\n`, { mode: 0o600 });
  renameSync(temporary, runningPath);
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    let others = liveUsers(dataDir);
    if (others.length > 0) {
      say(`The local cloud keeps running for the other app using it (pid ${others.join(', ')}); it stops when that one stops.`);
      while (others.length > 0) {
        await sleep(pollMs);
        others = liveUsers(dataDir);
      }
    }
    if (readJson<RunningFile>(runningPath)?.pid === process.pid) rmSync(runningPath, { force: true });
    await cloud.stop();
  };
  return devCloudOf(description, false, process.pid, () => (stopping ??= stop()));
}
