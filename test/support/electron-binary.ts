import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The Electron binary's path where it was downloaded; undefined where it could not be (as here). */
export function electronBinary(): string | undefined {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}
