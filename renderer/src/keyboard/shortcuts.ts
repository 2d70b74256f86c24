// The page's keyboard shortcuts, the same in Electron and the browser host: Ctrl (Cmd on macOS) +N
// new, +F filter, +R or F5 sync now (instead of reloading the page), +Z undo a record's delete.
export type Shortcut = 'new' | 'find' | 'syncNow' | 'undo';

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export function isMac(platform: string = globalThis.navigator?.platform ?? ''): boolean {
  return /^(Mac|iPhone|iPad|iPod)/.test(platform);
}

/** The shortcut a key press stands for, if any. */
export function shortcutOf(press: KeyPress, mac = isMac()): Shortcut | undefined {
  const command = mac ? press.metaKey && !press.ctrlKey : press.ctrlKey && !press.metaKey;
  if (press.key === 'F5' && !press.altKey && !press.shiftKey && !press.ctrlKey && !press.metaKey) return 'syncNow';
  if (!command || press.altKey || press.shiftKey) return undefined;
  switch (press.key.toLowerCase()) {
    case 'n':
      return 'new';
    case 'f':
      return 'find';
    case 'r':
      return 'syncNow';
    case 'z':
      return 'undo';
    default:
      return undefined;
  }
}

/** Whether the key press lands in a place that edits text (where Ctrl+Z undoes typing, not a delete). */
export function editsText(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'file'].includes(target.type));
}

/** Whether a modal dialog is open: page shortcuts wait until it closes. */
export function modalOpen(): boolean {
  return document.querySelector('[role="dialog"][aria-modal="true"]') !== null;
}
