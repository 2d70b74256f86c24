// The session's one door to the OS keychain, against a real gnome-keyring — and what happens on a
// machine without one: signed in for this run only, told once why, and no secret anywhere.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import keytar from 'keytar';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../../localcloud/start-local-cloud';
import { APP_ID, profileIdOf } from '../../../../main/platform/platform';
import { keychainService } from '../../../../main/platform/keychain/keytar-store';
import { openSecretStore } from '../../../../main/platform/keychain/open-secret-store';
import { filesUnder, leaked } from '../../../support/system-browser';
import { newProfileDir, profileFor } from '../../../support/test-app';

const run = promisify(execFile);
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'secret-store-int-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

test('with a working keychain, entries live under the app ID plus the profile ID, one per user, readable only as allowed', async () => {
  const dir = await newProfileDir(root);
  const store = await openSecretStore({ profileDir: dir });
  expect(store.kind).toBe('keychain');
  expect(store.takeNotice()).toBeUndefined();
  const service = keychainService(APP_ID, profileIdOf(dir));
  expect(service).toMatch(new RegExp(`^${APP_ID}/[0-9a-f-]{36}$`));
  // The probe left nothing behind.
  expect(await keytar.findCredentials(service)).toEqual([]);

  const account = 'https://tenant.eu.auth0.com/|auth0|42';
  await store.write(account, { refreshToken: 'rt-1', idToken: 'id-1' });
  expect(JSON.parse((await keytar.getPassword(service, account))!)).toEqual({ refreshToken: 'rt-1', idToken: 'id-1' });
  expect(await store.accounts()).toEqual([account]);
  expect(await store.read(account)).toEqual({ refreshToken: 'rt-1', idToken: 'id-1' });

  // An entry holding anything off the allow-list is not trusted.
  await keytar.setPassword(service, account, JSON.stringify({ refreshToken: 'rt', idToken: 'id', accessToken: 'at' }));
  expect(await store.read(account)).toBeUndefined();

  await store.remove(account);
  expect(await keytar.findCredentials(service)).toEqual([]);

  const otherDevice = await newProfileDir(root);
  expect(keychainService(APP_ID, profileIdOf(otherDevice))).not.toBe(service);
});

test('with no D-Bus session, the app signs in for this run only, says KEYCHAIN_UNAVAILABLE once, and writes no secret anywhere', async () => {
  let cloud: LocalCloud | undefined;
  try {
    cloud = await startLocalCloud({ inMemory: true });
    const dir = await newProfileDir(root);
    const input = { profileDir: dir, profile: profileFor(cloud), user: cloud.users[0]! };
    const child = async (mode: 'sign-in' | 'restore') => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'no-keychain-run.ts')], {
        env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/no-dbus-here', NO_KEYCHAIN_RUN: JSON.stringify({ ...input, mode }) },
        timeout: 60_000,
      });
      return JSON.parse(stdout.trim().split('\n').at(-1)!) as {
        keychain: string;
        view: { state: string };
        firstNotices: { code: string; message: string }[];
        laterNotices?: unknown[];
        secrets?: string[];
        logLines: string[];
      };
    };

    const first = await child('sign-in');
    expect(first.keychain).toBe('memory');
    expect(first.view.state).toBe('signedIn');
    expect(first.firstNotices).toHaveLength(1);
    expect(first.firstNotices[0]!.code).toBe('KEYCHAIN_UNAVAILABLE');
    // The real error from libsecret, read for its cause: the sentence names the missing D-Bus session.
    expect(first.firstNotices[0]!.message).toContain('no D-Bus session');
    expect(first.firstNotices[0]!.message).toMatch(/sign in again/);
    expect(first.firstNotices[0]!.message).toMatch(/gnome-keyring|Secret Service/);
    expect(first.laterNotices).toEqual([]);

    // No plaintext fallback: not in the profile dir, not in the log, not in the (working) keychain.
    const files = await filesUnder(dir);
    expect(files.map((file) => basename(file.path)).sort()).toEqual(['cognito-identity-ids.json', 'profile-id']);
    expect(first.secrets!.length).toBe(6);
    expect(leaked([...files.map((file) => file.text), ...first.logLines], first.secrets!)).toEqual([]);
    expect(await keytar.findCredentials(keychainService(APP_ID, profileIdOf(dir)))).toEqual([]);

    // The next run starts signed out, and says why again.
    const next = await child('restore');
    expect(next.view.state).toBe('signedOut');
    expect(next.firstNotices.map((notice) => notice.code)).toEqual(['KEYCHAIN_UNAVAILABLE']);
  } finally {
    await cloud?.stop();
  }
});
