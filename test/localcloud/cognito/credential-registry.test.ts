import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createCredentialRegistry } from '../../../localcloud/cognito/credential-registry';
import { openStateStore } from '../../../localcloud/state-store';

const IDENTITY = 'us-east-1:7b0a4c2e-8f1d-4b36-9a51-0d7c3e2f1a90';
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'credential-registry-'));
  dirs.push(dir);
  return dir;
}

describe('the credential registry', () => {
  test('issues AWS-shaped temporary credentials for an identity, valid one hour by default', () => {
    const registry = createCredentialRegistry(openStateStore(undefined), { now: () => 1_700_000_000_000 });
    const issued = registry.issue(IDENTITY);
    expect(issued.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(issued.secretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(Buffer.from(issued.sessionToken, 'base64').toString('base64')).toBe(issued.sessionToken);
    expect(issued).toMatchObject({ identityId: IDENTITY, expiration: 1_700_000_000_000 + 3_600_000 });
  });

  test('no two issued credentials share a key or a secret', () => {
    const registry = createCredentialRegistry(openStateStore(undefined));
    const issued = Array.from({ length: 200 }, () => registry.issue(IDENTITY));
    expect(new Set(issued.map((c) => c.accessKeyId)).size).toBe(200);
    expect(new Set(issued.map((c) => c.secretAccessKey)).size).toBe(200);
  });

  test('finds issued credentials by access key ID, and nothing for a key it never issued', () => {
    const registry = createCredentialRegistry(openStateStore(undefined));
    const issued = registry.issue(IDENTITY);
    expect(registry.lookup(issued.accessKeyId)).toEqual(issued);
    expect(registry.lookup('ASIAZZZZZZZZZZZZZZZZ')).toBeUndefined();
  });

  test('credentials survive a restart on the same data dir', () => {
    const dir = dataDir();
    const issued = createCredentialRegistry(openStateStore(dir)).issue(IDENTITY);
    expect(createCredentialRegistry(openStateStore(dir)).lookup(issued.accessKeyId)).toEqual(issued);
  });

  test('expired credentials stay known for a day, so a late request hears "expired", then are dropped', () => {
    let clock = 1_700_000_000_000;
    const store = openStateStore(dataDir());
    const registry = createCredentialRegistry(store, { now: () => clock, ttlSeconds: 60 });
    const old = registry.issue(IDENTITY);
    clock += 61_000;
    registry.issue(IDENTITY);
    expect(registry.lookup(old.accessKeyId)?.expiration).toBeLessThan(clock);
    clock += 24 * 3600 * 1000;
    const fresh = registry.issue(IDENTITY);
    expect(fresh.expiration).toBe(clock + 60_000);
    expect(registry.lookup(old.accessKeyId)).toBeUndefined();
    expect(Object.keys(store.read<Record<string, unknown>>('credentials') ?? {})).not.toContain(old.accessKeyId);
  });
});
