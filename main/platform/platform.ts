// What the services need from the host they run in (Electron, the browser host, a test), so that
// no service imports 'electron'.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPrivateFolder } from './private-folder';

/** Names this application in the OS keychain and wherever else the OS asks who we are. */
export const APP_ID = 'auth0-cognito-desktop';

export interface Platform {
  /** Opens a URL in the user's system browser — never in an embedded window (RFC 8252). */
  openExternal(url: string): Promise<void>;
  /** The folder that holds this profile's files; two folders behave as two devices. */
  readonly profileDir: string;
  /** False when the machine is offline or the user chose "Work offline": no network calls then. */
  isOnline(): boolean;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `listener` whenever isOnline() changes; returns the unsubscribe. */
  onOnlineChange?(listener: (online: boolean) => void): () => void;
}

const PROFILE_ID_FILE = 'profile-id';
const PROFILE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The profile's own random ID, created on first use and kept in the profile dir. It is not a
 * secret: it keeps two profile dirs on one machine from sharing keychain entries.
 */
export function profileIdOf(profileDir: string): string {
  // Every start opens the profile here, so this is where a folder left readable by others is closed.
  openPrivateFolder(profileDir);
  const file = join(profileDir, PROFILE_ID_FILE);
  const existing = readProfileId(file);
  if (existing !== undefined) return existing;
  try {
    // 'wx' so that two processes starting on one new profile agree on the first ID written.
    writeFileSync(file, `${randomUUID()}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const created = readProfileId(file);
  if (created === undefined) throw new Error(`${file} does not hold a profile ID; delete it to get a new one`);
  return created;
}

function readProfileId(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return PROFILE_ID.test(text) ? text : undefined;
}
