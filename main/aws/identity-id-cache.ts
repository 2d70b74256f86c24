// The Cognito identity ID of each (pool, issuer, sub), kept in the profile dir so a user keeps one
// identity — and so their data — across runs. An identity ID is not a secret.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { openPrivateFolder } from '../platform/private-folder';

export const IDENTITY_ID_FILE = 'cognito-identity-ids.json';

const fileSchema = z.record(z.string(), z.string());

export interface IdentityIdCache {
  get(key: IdentityKey): string | undefined;
  set(key: IdentityKey, identityId: string): void;
  delete(key: IdentityKey): void;
}

export interface IdentityKey {
  identityPoolId: string;
  issuer: string;
  sub: string;
}

export function openIdentityIdCache(profileDir: string): IdentityIdCache {
  const file = join(profileDir, IDENTITY_ID_FILE);
  const name = (key: IdentityKey) => JSON.stringify([key.identityPoolId, key.issuer, key.sub]);

  const read = (): Record<string, string> => {
    try {
      const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  };
  const write = (entries: Record<string, string>) => {
    openPrivateFolder(profileDir);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, file);
  };

  return {
    get: (key) => read()[name(key)],
    set: (key, identityId) => write({ ...read(), [name(key)]: identityId }),
    delete: (key) => {
      const { [name(key)]: _dropped, ...rest } = read();
      write(rest);
    },
  };
}
