import { describe, expect, test } from 'vitest';
import { keychainProblemOf, keychainUnavailable } from '../../../main/secrets/keytar-store';

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
