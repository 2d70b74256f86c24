// What a device's name may hold: what the user types is checked, what the cloud or the computer
// gives is made safe to show.
import { expect, test } from 'vitest';
import { DEVICE_NAME_MAX_CHARS, deviceNameProblem, safeDeviceName, unnamedDeviceLabel } from '../../shared/device-name';

test('a name of one line of ordinary text, right-to-left or emoji included, is accepted', () => {
  for (const name of ['Work laptop', 'מחשב העבודה', 'Alice’s 💻', '👩‍💻 desk', 'x'.repeat(DEVICE_NAME_MAX_CHARS), '🙂'.repeat(DEVICE_NAME_MAX_CHARS)]) {
    expect(deviceNameProblem(name), name).toBeUndefined();
  }
});

test('an empty or invisible name, a control or bidi-control character, or a name too long is refused with a sentence', () => {
  const refused = ['', '   ', '\u200b\ufeff', 'two\nlines', 'tab\there', 'bell\u0007', 'c1\u0085', 'a\u2028b', 'evil\u202Egnp.exe', 'x\u2066y', 'mark\u200f', 'x'.repeat(65), '\uD800alone'];
  for (const name of refused) {
    const problem = deviceNameProblem(name);
    expect(problem, JSON.stringify(name)).toMatch(/^A device name .+\.$/);
  }
  expect(deviceNameProblem('x'.repeat(65))).toContain('at most 64 characters');
});

test('a name from elsewhere loses its controls and bidi controls, is one line, and is cut to whole characters', () => {
  expect(safeDeviceName('  \u202Eevil\u0000 name\n\ttwo  ')).toBe('evil name two');
  expect(safeDeviceName('\u202E\u2066\u0007\u200b')).toBeUndefined();
  const long = safeDeviceName('y'.repeat(500))!;
  expect(Array.from(long)).toHaveLength(DEVICE_NAME_MAX_CHARS);
  expect(long.endsWith('…')).toBe(true);
  // An emoji at the cut is kept whole or left out, never halved.
  const emoji = safeDeviceName('🙂'.repeat(100))!;
  expect(Array.from(emoji)).toHaveLength(DEVICE_NAME_MAX_CHARS);
  expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  expect(safeDeviceName('ok\uD800')).toBe('ok');
});

test('a device that never told its name is named by the start of its ID, made safe too', () => {
  expect(unnamedDeviceLabel('8186466e-1111-4111-8111-111111111111')).toBe('another device (8186466e)');
  expect(unnamedDeviceLabel('\u202Eab\u0000cdefgh')).toBe('another device (ab cdef)');
  expect(unnamedDeviceLabel('\u202E\u2066')).toBe('another device (unknown)');
});
