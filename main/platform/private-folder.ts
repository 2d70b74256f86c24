// Folders that hold user data or secrets (a profile dir, the local cloud's data dir) are 0700 and
// their files 0600: made so, and made so again each time they are opened, because mkdirSync's mode
// leaves a folder that already exists as it is (a --profile-dir the user made, a folder an older
// version left 0755) and a child process (DynamoDB Local) creates its files with the umask's mode.
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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

/**
 * Why `dir` cannot be a folder — a file in its place or on its path — as the end of a sentence
 * naming it; undefined when it is one or can be made. What mkdir would say instead (EEXIST,
 * ENOTDIR) names neither the file nor the fix.
 */
export function folderProblem(dir: string): string | undefined {
  const wanted = resolve(dir);
  for (let path = wanted; ; path = dirname(path)) {
    try {
      if (statSync(path).isDirectory()) return undefined;
      return path === wanted ? `${dir} is a file, not a folder` : `${dir} cannot be a folder: ${path} is a file`;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Missing (made when opened), or under a file that the walk up finds.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(path) === path) return undefined;
    }
  }
}

function setMode(path: string, mode: number): void {
  if ((statSync(path).mode & 0o777) !== mode) chmodSync(path, mode);
}
