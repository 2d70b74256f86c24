// A component's handler for one page shortcut while it is mounted (and `enabled`). The handler
// answers whether it acted; when it did, the browser's own meaning of the keys (a new window, find
// in page, reload) is prevented — and in Electron the application menu's accelerator does not fire
// too. Shortcuts wait while a modal dialog is open, except "sync now", which never reloads the page.
// The menu's items arrive as the same shortcuts (`runShortcut`).
import { useEffect, useRef } from 'react';
import { editsText, modalOpen, shortcutOf, type Shortcut } from './shortcuts';

const CHOSEN = 'app-shortcut';

/** Runs a shortcut as if its keys were pressed: how an application-menu item reaches the page. */
export function runShortcut(shortcut: Shortcut): void {
  window.dispatchEvent(new CustomEvent<Shortcut>(CHOSEN, { detail: shortcut }));
}

export function useShortcut(shortcut: Shortcut, handler: () => boolean | void, enabled = true): void {
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  useEffect(() => {
    if (!enabled) return;
    const allowed = () => shortcut === 'syncNow' || !modalOpen();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || shortcutOf(event) !== shortcut) return;
      if (shortcut === 'undo' && editsText(event.target)) return;
      if (!allowed() || handlerRef.current() === false) return;
      event.preventDefault();
    };
    const onChosen = (event: Event) => {
      if ((event as CustomEvent<Shortcut>).detail === shortcut && allowed()) handlerRef.current();
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener(CHOSEN, onChosen);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener(CHOSEN, onChosen);
    };
  }, [shortcut, enabled]);
}
