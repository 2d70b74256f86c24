// "Imported 120 records into X: …": the sentence saying an import or export is done, over the bottom
// of the table (beside the Undo offer) until a few seconds pass or the person clicks or types (their
// next action), whichever comes first; in a region always in the page, announced politely (not
// role="status": that role is the status bar's alone). Its state is its own, so that showing and
// hiding it re-renders nothing else (the table least of all).
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';

export interface ConfirmationHandle {
  confirm(message: string): void;
}

export const CONFIRMATION_MS = 8000;
/**
 * Shown a moment after it is asked for: while the dialog that finished was open (aria-modal), the
 * rest of the page was hidden from screen readers, and a live region is heard only when it changes
 * while readers can see it (react-aria's announcer waits likewise).
 */
const ANNOUNCE_DELAY_MS = 100;
/** Keys that move around or hold a modifier: not an action that ends the confirmation. */
const NOT_AN_ACTION = new Set(['Tab', 'Shift', 'Control', 'Alt', 'Meta', 'CapsLock']);

export function ConfirmationToast({ ref }: { ref: Ref<ConfirmationHandle> }) {
  const [message, setMessage] = useState<string | undefined>();
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(pending.current), []);
  useImperativeHandle(
    ref,
    () => ({
      confirm(next: string) {
        clearTimeout(pending.current);
        setMessage(undefined);
        pending.current = setTimeout(() => setMessage(next), ANNOUNCE_DELAY_MS);
      },
    }),
    [],
  );

  useEffect(() => {
    if (message === undefined) return;
    const hide = () => setMessage(undefined);
    const onKey = (event: KeyboardEvent) => NOT_AN_ACTION.has(event.key) || hide();
    const timer = setTimeout(hide, CONFIRMATION_MS);
    document.addEventListener('pointerdown', hide, true);
    document.addEventListener('keydown', onKey, true);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('pointerdown', hide, true);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [message]);

  return (
    <p className={message ? 'confirmation-toast shown' : 'confirmation-toast'} aria-live="polite">
      {message}
    </p>
  );
}
