// One message for the user, styled by how much it matters: errors are alerts (read out at once),
// warnings and information are calm, politely announced messages (not role="status": that role
// belongs to the status bar alone, which outside checks find by it).
import { severityOf, type AppErrorView } from '../../../shared/errors';

export interface NoticeView {
  code: AppErrorView['code'] | 'SIGNED_OUT';
  message: string;
}

function severityOfNotice(notice: NoticeView) {
  return notice.code === 'SIGNED_OUT' ? 'info' : severityOf(notice.code);
}

/**
 * Whether a notice is over once the person's next action succeeds or they move to another screen:
 * errors and information are about what just happened; warnings (no keychain, the host's link) hold
 * until the person dismisses them.
 */
export function endsWithNextSuccess(notice: NoticeView): boolean {
  return severityOfNotice(notice) !== 'warning';
}

export function Notice({ notice, onDismiss }: { notice: NoticeView; onDismiss(): void }) {
  const severity = severityOfNotice(notice);
  return (
    <div {...(severity === 'error' ? { role: 'alert' } : { 'aria-live': 'polite' as const })} className={`notice ${severity}`}>
      <span className="notice-icon" aria-hidden="true">
        {severity === 'error' ? '!' : severity === 'warning' ? '⚠' : 'i'}
      </span>
      <span className="notice-text">{notice.message}</span>
      <button type="button" className="ghost" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
