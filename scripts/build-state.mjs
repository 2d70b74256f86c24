// Whether a build output is older than its sources, so that the development commands rebuild only
// when something changed — and a second app started beside a running one (another device) never
// rebuilds the folder the first one serves from.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** True when `output` is missing or older than any file under `sources` (folders or files). */
export function isStale(output, sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((source) => {
    const stat = statSync(source, { throwIfNoEntry: false });
    if (stat === undefined) return false;
    if (!stat.isDirectory()) return stat.mtimeMs > built;
    return readdirSync(source, { recursive: true, withFileTypes: true }).some(
      (entry) => entry.isFile() && statSync(join(entry.parentPath, entry.name)).mtimeMs > built,
    );
  });
}
