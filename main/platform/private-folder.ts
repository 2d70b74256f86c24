// Folders that hold user data or secrets (a profile dir, the local cloud's data dir) are 0700 and
// their files 0600: made so, and made so again each time they are opened, because mkdirSync's mode
// leaves a folder that already exists as it is (a --profile-dir the user made, a folder an older
// version left 0755) and a child process (DynamoDB Local) creates its files with the umask's mode.
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const FOLDER_MODE = 0o700;
const OWNER_ONLY = 0o700;

/** Creates `dir` if needed, then takes every permission for group and others off it and its files. */
export function openPrivateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: FOLDER_MODE });
  // Windows has no POSIX modes; a folder under the user's profile is private by its ACL there.
  if (process.platform === 'win32') return;
  setMode(dir, FOLDER_MODE);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(dir, entry.name);
    setMode(file, statSync(file).mode & OWNER_ONLY);
  }
}

function setMode(path: string, mode: number): void {
  if ((statSync(path).mode & 0o777) !== mode) chmodSync(path, mode);
}
