import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { BAKED_PROFILE_FILE, CLOUD_PROFILE_ENV, findCloudProfile } from '../../../main/cloud-profile/source';
import { thrown } from '../../support/app-error';

const scratch = mkdtempSync(join(tmpdir(), 'cloud-profile-source-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function profileFile(name: string, clientId: string): string {
  const file = join(scratch, name);
  const profile = { issuer: 'https://tenant.eu.auth0.com/', clientId, identityPoolId: 'eu-west-1:0f0e0d0c-1111-2222-3333-444455556666', region: 'eu-west-1', tableName: 'datasets' };
  writeFileSync(file, JSON.stringify(profile));
  return file;
}

const resourcesDir = join(scratch, 'resources');
mkdirSync(resourcesDir);
const baked = join(resourcesDir, BAKED_PROFILE_FILE);
profileFile(join('resources', BAKED_PROFILE_FILE), 'baked');
const fromArgument = profileFile('argument.json', 'argument');
const fromEnv = profileFile('env.json', 'env');

describe('a packaged app finds its cloud profile: --cloud, then the environment, then its resources', () => {
  test('--cloud FILE comes first', () => {
    const found = findCloudProfile({ argument: fromArgument, env: { [CLOUD_PROFILE_ENV]: fromEnv }, resourcesDir });
    expect(found).toMatchObject({ file: fromArgument, profile: { clientId: 'argument' } });
  });

  test('then the environment variable', () => {
    expect(findCloudProfile({ env: { [CLOUD_PROFILE_ENV]: fromEnv }, resourcesDir }).profile.clientId).toBe('env');
  });

  test('then the cloud-profile.json baked into the resources', () => {
    expect(findCloudProfile({ env: {}, resourcesDir })).toMatchObject({ file: baked, profile: { clientId: 'baked' } });
  });

  test('without any, CLOUD_PROFILE_MISSING names all three ways to give one', () => {
    const error = thrown(() => findCloudProfile({ env: {}, resourcesDir: join(scratch, 'empty') }));
    expect(error.code).toBe('CLOUD_PROFILE_MISSING');
    expect(error.message).toContain('--cloud FILE');
    expect(error.message).toContain(CLOUD_PROFILE_ENV);
    expect(error.message).toContain(BAKED_PROFILE_FILE);
    expect(thrown(() => findCloudProfile({ env: {} })).code).toBe('CLOUD_PROFILE_MISSING');
  });

  test('a named file that is broken is refused, never skipped for the next source', () => {
    const broken = join(scratch, 'broken.json');
    writeFileSync(broken, 'nope');
    expect(thrown(() => findCloudProfile({ argument: broken, env: {}, resourcesDir })).code).toBe('CLOUD_PROFILE_INVALID');
    expect(thrown(() => findCloudProfile({ env: { [CLOUD_PROFILE_ENV]: broken }, resourcesDir })).code).toBe('CLOUD_PROFILE_INVALID');
  });
});
