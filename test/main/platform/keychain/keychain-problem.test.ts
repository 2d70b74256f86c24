import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { keychainProblemOf, keychainUnavailable, keyringSessionCommand } from '../../../../main/platform/keychain/keytar-store';

describe('KEYCHAIN_UNAVAILABLE names the real cause and its fix', () => {
  test.each([
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'no-dbus'],
    ['The name org.freedesktop.secrets was not provided by any .service files', 'no-secret-service'],
    ['Cannot create an item in a locked collection', 'locked'],
    ['the keychain did not answer within 5000 ms', 'not-answering'],
  ] as const)('%s → %s', (message, problem) => {
    expect(keychainProblemOf(new Error(message), { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/bus' })).toBe(problem);
  });

  test('an unexplained failure on Linux without a session bus is the missing D-Bus session', () => {
    if (process.platform !== 'linux') return;
    expect(keychainProblemOf(new Error('something else'), {})).toBe('no-dbus');
  });

  test.skipIf(process.platform !== 'linux')('the sentence says what to do, without markdown', () => {
    const noSecretService = keychainUnavailable(new Error('The name org.freedesktop.secrets was not provided by any .service files'));
    expect(noSecretService.message).toContain('No Secret Service is installed');
    expect(noSecretService.message).toContain('apt install gnome-keyring');
    const noDbus = keychainUnavailable(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'));
    expect(noDbus.message).toContain('no D-Bus session');
    expect(noDbus.message).toContain('dbus-run-session');
    for (const error of [noSecretService, noDbus]) expect(error.message).not.toContain('`');
  });
});

describe('the notice fits where it is shown: the app says to restart it, the doctor never does', () => {
  const NO_DBUS = new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
  const LOCKED = new Error('Cannot create an item in a locked collection');

  test('in the app, a fix ends by saying to restart the app', () => {
    expect(keychainUnavailable(LOCKED).message).toMatch(/so your sign-in is kept only until the app closes.*\. Then restart the app to stay signed in\.$/);
    expect(keychainUnavailable(LOCKED, 'app').message).toBe(keychainUnavailable(LOCKED).message);
  });

  test('in the doctor, the same fix ends by saying to run the doctor again, and nothing mentions restarting the app', () => {
    const locked = keychainUnavailable(LOCKED, 'doctor');
    expect(locked.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(locked.message).toMatch(/^The system keychain can't be used, so the doctor cannot read the session the app keeps there\. .*\. Then run the doctor again\.$/);
    for (const cause of [NO_DBUS, LOCKED, new Error('the keychain did not answer within 5000 ms')]) {
      expect(keychainUnavailable(cause, 'doctor').message).not.toMatch(/restart the app|until the app closes/);
    }
  });

  test.skipIf(process.platform !== 'linux')('without D-Bus, the notice ends with the command that starts its own host, with the keyring password piped in', () => {
    expect(keychainUnavailable(NO_DBUS).message).toMatch(/choose-a-password stands for the keyring's password.*: (dbus-run-session -- .*)$/);
    expect(keychainUnavailable(NO_DBUS).message.endsWith(` ${keyringSessionCommand('npm start')}`)).toBe(true);
    const doctor = keychainUnavailable(NO_DBUS, 'doctor').message;
    expect(doctor.endsWith(` ${keyringSessionCommand('npm run doctor -- --cloud FILE --profile-dir DIR')}`)).toBe(true);
    expect(doctor).toContain('Run the doctor where the app runs');
  });

  test("the keyring command pipes the password to --unlock, which otherwise waits on the terminal, and is the README's", () => {
    expect(keyringSessionCommand('npm start')).toBe(
      `dbus-run-session -- sh -c 'printf %s "choose-a-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec npm start'`,
    );
    expect(readFileSync(join(import.meta.dirname, '../../../../README.md'), 'utf8')).toContain(`\n${keyringSessionCommand('npm start')}\n`);
  });
});
