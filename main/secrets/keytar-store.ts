// SecretStore on the OS keychain through keytar (macOS Keychain, Windows Credential Manager,
// Secret Service on Linux). One service per profile, one entry per signed-in user.
import keytar from 'keytar';
import { AppError } from '../../shared/errors';
import { parseAccountName, parseSessionSecrets, sessionSecretsSchema, type SecretStore } from './secret-store';

/** The keytar calls we use; the real module in the app, a same-shaped object nowhere else. */
export interface KeychainApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

export const osKeychain: KeychainApi = keytar;

/** A locked keychain may wait for a password prompt nobody will answer; we do not wait forever. */
export const KEYCHAIN_TIMEOUT_MS = 5_000;

export class KeychainFailure extends Error {
  override readonly name = 'KeychainFailure';
}

export function keychainService(appId: string, profileId: string): string {
  return `${appId}/${profileId}`;
}

export function createKeytarStore(
  service: string,
  options: { keychain?: KeychainApi; timeoutMs?: number } = {},
): SecretStore & { readonly service: string } {
  const keychain = options.keychain ?? osKeychain;
  const timeoutMs = options.timeoutMs ?? KEYCHAIN_TIMEOUT_MS;
  const call = <T>(what: string, run: () => Promise<T>) => withTimeout(run(), timeoutMs, what);

  return {
    kind: 'keychain',
    service,
    async read(account) {
      const text = await call('read', () => keychain.getPassword(service, account));
      return text === null ? undefined : parseSessionSecrets(text);
    },
    async write(account, secrets) {
      const text = JSON.stringify(sessionSecretsSchema.parse(secrets));
      await call('write', () => keychain.setPassword(service, account, text));
    },
    async remove(account) {
      await call('remove', () => keychain.deletePassword(service, account));
    },
    async accounts() {
      const found = await call('list', () => keychain.findCredentials(service));
      return found.map((entry) => entry.account).filter((account) => parseAccountName(account) !== undefined);
    },
    takeNotice: () => undefined,
  };
}

/** Writes, reads back and deletes a throwaway entry: the only reliable test that a keychain works. */
export async function probeKeychain(
  service: string,
  options: { keychain?: KeychainApi; timeoutMs?: number } = {},
): Promise<void> {
  const keychain = options.keychain ?? osKeychain;
  const timeoutMs = options.timeoutMs ?? KEYCHAIN_TIMEOUT_MS;
  const account = 'probe';
  const value = `probe-${process.pid}-${Date.now()}`;
  await withTimeout(keychain.setPassword(service, account, value), timeoutMs, 'write');
  const readBack = await withTimeout(keychain.getPassword(service, account), timeoutMs, 'read');
  await withTimeout(keychain.deletePassword(service, account), timeoutMs, 'remove');
  if (readBack !== value) throw new KeychainFailure('the keychain did not return what was written to it');
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KeychainFailure(`the keychain did not answer a ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function keychainUnavailable(cause: unknown): AppError {
  const platformHint =
    process.platform === 'linux'
      ? 'install and unlock a Secret Service keyring (e.g. `sudo apt install gnome-keyring`, or KeePassXC with Secret Service enabled) and make sure a D-Bus session is running'
      : process.platform === 'darwin'
        ? 'unlock your login keychain in Keychain Access'
        : 'make sure Windows Credential Manager is available to your account';
  return new AppError(
    'KEYCHAIN_UNAVAILABLE',
    `The system keychain can't be used, so your sign-in is kept only until the app closes and you will have to sign in again next time. To stay signed in, ${platformHint}, then restart the app.`,
    { cause },
  );
}
