// The window's webPreferences are Electron's security checklist: a change to any of them fails here.
import { expect, test } from 'vitest';
import { HARDENED_WEB_PREFERENCES, windowWebPreferences } from '../../../main/shell/window-preferences';

test('the window is isolated and sandboxed, with no Node anywhere and no web security switched off', () => {
  expect(windowWebPreferences('/app/out/preload/index.cjs')).toEqual({
    preload: '/app/out/preload/index.cjs',
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  });
});

test('the hardened preferences cannot be changed at run time', () => {
  expect(Object.isFrozen(HARDENED_WEB_PREFERENCES)).toBe(true);
});
