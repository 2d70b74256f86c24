// Where localcloud keeps what must survive a restart (signing key, users, identity map, ports…):
// one JSON file per kind of state in the data dir, or nothing but memory without one.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPrivateFolder } from '../main/platform/private-folder';

export interface StateStore {
  /** The data dir, or undefined when the state lives in memory only. */
  readonly dir: string | undefined;
  read<T>(name: string): T | undefined;
  write(name: string, value: unknown): void;
}

export function openStateStore(dir: string | undefined): StateStore {
  if (dir === undefined) {
    const memory = new Map<string, string>();
    return {
      dir,
      read: <T>(name: string) => {
        const text = memory.get(name);
        return text === undefined ? undefined : (JSON.parse(text) as T);
      },
      write: (name, value) => void memory.set(name, JSON.stringify(value)),
    };
  }
  openPrivateFolder(dir);
  const file = (name: string) => join(dir, `${name}.json`);
  return {
    dir,
    read: <T>(name: string) => {
      const path = file(name);
      return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
    },
    write: (name, value) => {
      const path = file(name);
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
      renameSync(temporary, path);
    },
  };
}
