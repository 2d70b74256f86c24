// What a device's name may hold. A name the user types is checked (`deviceNameProblem`); a name read
// from the cloud — where anyone holding the identity's credentials can write — or the computer's own
// name is made safe to show instead (`safeDeviceName`): no control or bidi-control characters, one
// line, at most DEVICE_NAME_MAX_CHARS characters. Shared, so the page can check a name as it is typed.

/** Characters (code points) a device name holds at most. */
export const DEVICE_NAME_MAX_CHARS = 64;

// C0 and C1 controls and DEL; the line and paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
// Bidi embeddings, overrides and isolates, the marks, and the Arabic letter mark: each can reorder
// the text shown around the name.
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Zero-width spaces, the word joiner and the BOM: a name of only these would show as nothing.
const INVISIBLE = /[\u200b\u2060\ufeff]/gu;

/** Why the user cannot name the device `name` (a sentence saying what to change), or undefined. */
export function deviceNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed.replace(INVISIBLE, '').trim() === '') return 'A device name cannot be empty. Type a name, e.g. "Work laptop".';
  if (LONE_SURROGATE.test(trimmed)) return 'A device name must be valid Unicode text (it holds a lone surrogate). Remove that character.';
  if (CONTROL.test(trimmed)) return 'A device name is one line of text: remove the line breaks, tabs or other control characters.';
  if (BIDI_CONTROL.test(trimmed)) {
    return 'A device name cannot hold invisible direction controls (such as U+202E), which would reorder the text shown around it. Remove them.';
  }
  const characters = Array.from(trimmed).length;
  if (characters > DEVICE_NAME_MAX_CHARS) return `A device name holds at most ${DEVICE_NAME_MAX_CHARS} characters; this one has ${characters}.`;
  return undefined;
}

/**
 * `raw` made fit to show: controls and bidi controls removed (line breaks become spaces), runs of
 * white space made one, trimmed, cut to DEVICE_NAME_MAX_CHARS whole characters (ending in "…").
 * Undefined when nothing is left.
 */
export function safeDeviceName(raw: string): string | undefined {
  const cleaned = raw
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/gu, ' ')
    .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '')
    .replace(INVISIBLE, '')
    .replace(/\s+/gu, ' ')
    .trim();
  if (cleaned === '') return undefined;
  const characters = Array.from(cleaned);
  return characters.length <= DEVICE_NAME_MAX_CHARS ? cleaned : `${characters.slice(0, DEVICE_NAME_MAX_CHARS - 1).join('').trimEnd()}…`;
}

/** What a device is called when it never told its name: the start of its ID, made safe too. */
export function unnamedDeviceLabel(deviceId: string): string {
  return `another device (${safeDeviceName(Array.from(deviceId).slice(0, 8).join('')) ?? 'unknown'})`;
}
