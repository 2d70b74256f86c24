// SecretStore on the OS keychain through keytar (macOS Keychain, Windows Credential Manager,
// Secret Service on Linux). One service per profile, one entry per signed-in user.
import keytar from 'keytar';
import { AppError } from '../../../shared/errors';
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

/** Why the OS keychain could not be used, read from the error the Secret Service client gave. */
export type KeychainProblem = 'no-dbus' | 'no-secret-service' | 'locked' | 'not-answering' | 'unknown';

export function keychainProblemOf(cause: unknown, env: NodeJS.ProcessEnv = process.env): KeychainProblem {
  const message = String((cause as { message?: unknown })?.message ?? cause);
  if (/autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|Failed to connect to socket|Could not connect: No such file/i.test(message)) return 'no-dbus';
  if (/org\.freedesktop\.secrets was not provided|ServiceUnknown|No such interface.*Secret/i.test(message)) return 'no-secret-service';
  if (/locked|prompt (was )?dismissed|unlock/i.test(message)) return 'locked';
  if (/timed? ?out|did not answer/i.test(message)) return 'not-answering';
  if (process.platform === 'linux' && !env.DBUS_SESSION_BUS_ADDRESS) return 'no-dbus';
  return 'unknown';
}

/**
 * Who shows the notice, which decides what the failure means and what to do after the fix: the app
 * (whose sign-in then lasts one run) or the doctor (which cannot read the session the app kept).
 */
export type KeychainNoticeHost = 'app' | 'doctor';

interface HostWords {
  /** What a keychain that can't be used means here. */
  meaning: string;
  /** Said after a fix, to bring the user back to where they were. */
  then: string;
  /** The no-dbus fix up to its command: where to start the host, and what the command's placeholders stand for. */
  inSession: string;
  /** What the user runs inside that D-Bus session. */
  command: string;
}

const HOSTS: Record<KeychainNoticeHost, HostWords> = {
  app: {
    meaning: "The system keychain can't be used, so your sign-in is kept only until the app closes and you will have to sign in again next time.",
    then: 'Then restart the app to stay signed in.',
    inSession:
      "To stay signed in, start the app from your desktop session, or with this command, which starts it in a D-Bus session of its own with GNOME Keyring unlocked; choose-a-password stands for the keyring's password (pick one the first time, and give the same one each time after)",
    command: 'npm start',
  },
  doctor: {
    meaning: "The system keychain can't be used, so the doctor cannot read the session the app keeps there.",
    then: 'Then run the doctor again.',
    inSession:
      "Run the doctor where the app runs: from your desktop session, or with this command, which starts it in a D-Bus session with the app's GNOME Keyring unlocked; FILE and DIR are the ones you gave, and choose-a-password stands for the keyring password the app's session uses",
    command: 'npm run doctor -- --cloud FILE --profile-dir DIR',
  },
};

/**
 * The command that starts `command` in a D-Bus session with GNOME Keyring unlocked, as the README
 * gives it, to be pasted into a shell as printed. The password is piped in: `--unlock` reads it from
 * stdin, and from a terminal it would wait there for ever.
 */
export function keyringSessionCommand(command: string): string {
  return `dbus-run-session -- sh -c 'printf %s "choose-a-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec ${command}'`;
}

/** Each problem's fix on Linux, in the host's words; a fix that ends with a command ends the notice. */
const LINUX_FIXES: Record<KeychainProblem, (host: HostWords) => string> = {
  'no-dbus': (host) =>
    'There is no D-Bus session, which the Secret Service needs (common over SSH and on headless machines). ' +
    `${host.inSession}: ${keyringSessionCommand(host.command)}`,
  'no-secret-service': (host) =>
    `No Secret Service is installed. Install one, e.g. sudo apt install gnome-keyring (or enable the Secret Service integration of KeePassXC or KWallet), then sign in to your desktop again. ${host.then}`,
  locked: (host) => `Your keyring is locked. Unlock it (GNOME: Passwords and Keys, or log out and in again) and allow the app when asked. ${host.then}`,
  'not-answering': (host) => `The Secret Service did not answer in time. Check that gnome-keyring-daemon (or your keyring) is running. ${host.then}`,
  unknown: (host) => `Install and unlock a Secret Service keyring such as GNOME Keyring, and make sure a D-Bus session is running. ${host.then}`,
};

/** KEYCHAIN_UNAVAILABLE: what it means where it is shown (`host`), its cause and the fix for it. */
export function keychainUnavailable(cause: unknown, host: KeychainNoticeHost = 'app'): AppError {
  const words = HOSTS[host];
  const fix =
    process.platform === 'linux'
      ? LINUX_FIXES[keychainProblemOf(cause)](words)
      : process.platform === 'darwin'
        ? `Unlock your login keychain in Keychain Access, and allow the app when asked. ${words.then}`
        : `Make sure Windows Credential Manager is available to your account. ${words.then}`;
  return new AppError('KEYCHAIN_UNAVAILABLE', `${words.meaning} ${fix}`, { cause });
}
