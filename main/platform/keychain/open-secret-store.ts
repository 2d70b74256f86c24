// Opens the profile's secret store: the OS keychain when a probe shows it works, otherwise an
// in-memory store for this run plus a one-time KEYCHAIN_UNAVAILABLE notice. Never plaintext on disk.
import type { AppError } from '../../../shared/errors';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { APP_ID, profileIdOf } from '../platform';
import {
  createKeytarStore,
  keychainService,
  keychainUnavailable,
  probeKeychain,
  type KeychainApi,
  type KeychainNoticeHost,
} from './keytar-store';
import { createMemorySecretStore, type SecretStore, type SessionSecrets } from './secret-store';

export interface OpenSecretStoreOptions {
  profileDir: string;
  appId?: string;
  keychain?: KeychainApi;
  timeoutMs?: number;
  log?: Logger;
  /** Who shows the KEYCHAIN_UNAVAILABLE notice, which words it in its terms; the app by default. */
  host?: KeychainNoticeHost;
}

export async function openSecretStore(options: OpenSecretStoreOptions): Promise<SecretStore> {
  const log = options.log ?? silentLogger;
  const host = options.host ?? 'app';
  const service = keychainService(options.appId ?? APP_ID, profileIdOf(options.profileDir));
  const keychainOptions = { keychain: options.keychain, timeoutMs: options.timeoutMs };
  try {
    await probeKeychain(service, keychainOptions);
  } catch (error) {
    log.warn('keychain unavailable; keeping the session in memory for this run', { error });
    return createMemorySecretStore(keychainUnavailable(error, host));
  }
  return withMemoryFallback(createKeytarStore(service, keychainOptions), log, host);
}

/**
 * A keychain that worked at start-up can still fail later (locked, daemon gone). Then the session
 * carries on in memory for the rest of the run and the user is told once, as at start-up.
 */
function withMemoryFallback(keychain: SecretStore, log: Logger, host: KeychainNoticeHost): SecretStore {
  let fallback: SecretStore | undefined;
  let notice: AppError | undefined;

  const degrade = (error: unknown, carried?: [string, SessionSecrets]) => {
    log.warn('keychain failed; keeping the session in memory for the rest of this run', { error });
    if (fallback === undefined) {
      notice = keychainUnavailable(error, host);
      fallback = createMemorySecretStore();
    }
    return carried === undefined ? Promise.resolve() : fallback.write(...carried);
  };

  return {
    get kind() {
      return fallback === undefined ? keychain.kind : fallback.kind;
    },
    async read(account) {
      if (fallback) return fallback.read(account);
      try {
        return await keychain.read(account);
      } catch (error) {
        await degrade(error);
        return undefined;
      }
    },
    async write(account, secrets) {
      if (fallback) return fallback.write(account, secrets);
      try {
        await keychain.write(account, secrets);
      } catch (error) {
        await degrade(error, [account, secrets]);
      }
    },
    async remove(account) {
      await fallback?.remove(account);
      // Removal is attempted on the keychain even after a fallback: a sign-out must not leave an entry behind.
      try {
        await keychain.remove(account);
      } catch (error) {
        if (fallback === undefined) await degrade(error);
        else log.warn('could not remove a keychain entry', { error });
      }
    },
    async accounts() {
      if (fallback) return fallback.accounts();
      try {
        return await keychain.accounts();
      } catch (error) {
        await degrade(error);
        return [];
      }
    },
    takeNotice() {
      const taken = notice;
      notice = undefined;
      return taken;
    },
  };
}
