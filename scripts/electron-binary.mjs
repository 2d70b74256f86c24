// Where the Electron binary is, without downloading it. `require('electron')` (Electron ≥ 42)
// starts a download from GitHub when the binary is missing, which hangs or fails on machines that
// cannot reach it; this only looks, the way that module does before it downloads.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The Electron executable's path, or undefined where it was never downloaded. */
export function electronBinary() {
  let packageDir;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist');
  const binary = join(distDir, executable ?? 'electron');
  return executable !== undefined || process.env.ELECTRON_OVERRIDE_DIST_PATH ? (existsSync(binary) ? binary : undefined) : undefined;
}

/** The one line a command prints where it needs Electron and there is none. */
export const NO_ELECTRON_LINE =
  'No Electron binary is installed here (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or GitHub could not be reached)';
