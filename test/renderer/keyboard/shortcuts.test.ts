import { describe, expect, test } from 'vitest';
import { isMac, shortcutOf, type KeyPress } from '../../../renderer/src/keyboard/shortcuts';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('page shortcuts follow each platform', () => {
  test('Ctrl on Windows and Linux, Cmd on macOS: N new, F filter, R sync now, Z undo', () => {
    expect(['n', 'f', 'r', 'z', 'N'].map((key) => shortcutOf(press(key, { ctrlKey: true }), false))).toEqual(['new', 'find', 'syncNow', 'undo', 'new']);
    expect(['n', 'f', 'r', 'z'].map((key) => shortcutOf(press(key, { metaKey: true }), true))).toEqual(['new', 'find', 'syncNow', 'undo']);
    expect(shortcutOf(press('n', { ctrlKey: true }), true)).toBeUndefined();
    expect(shortcutOf(press('n', { metaKey: true }), false)).toBeUndefined();
  });

  test('F5 alone syncs now; other modifiers or plain letters are not shortcuts', () => {
    expect(shortcutOf(press('F5'), false)).toBe('syncNow');
    expect(shortcutOf(press('F5', { shiftKey: true }), false)).toBeUndefined();
    expect(shortcutOf(press('r', { ctrlKey: true, shiftKey: true }), false)).toBeUndefined();
    expect(shortcutOf(press('f', { ctrlKey: true, altKey: true }), false)).toBeUndefined();
    expect(shortcutOf(press('n'), false)).toBeUndefined();
  });

  test('macOS is told apart by its platform name', () => {
    expect([isMac('MacIntel'), isMac('iPad'), isMac('Win32'), isMac('Linux x86_64')]).toEqual([true, true, false, false]);
  });
});
