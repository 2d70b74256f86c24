// The window's webPreferences, per Electron's security checklist, in one Electron-free place: a unit
// test reads them here, and the e2e test compares them with the live window's (electronegativity
// cannot see them in the bundle, and a typo here would quietly switch a protection off).
import type { WebPreferences } from 'electron';

export const HARDENED_WEB_PREFERENCES = Object.freeze({
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
} as const satisfies WebPreferences);

export function windowWebPreferences(preloadPath: string): WebPreferences {
  return { ...HARDENED_WEB_PREFERENCES, preload: preloadPath };
}
