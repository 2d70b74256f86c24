// In a record's value: Enter (or Ctrl/Cmd+Enter) saves; Shift+Enter starts a new line.
export function submitOnEnter(event: React.KeyboardEvent<HTMLTextAreaElement>): void {
  if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.nativeEvent.isComposing) return;
  event.preventDefault();
  event.currentTarget.form?.requestSubmit();
}

export const ENTER_HINT = 'Enter saves, Shift+Enter starts a new line';
