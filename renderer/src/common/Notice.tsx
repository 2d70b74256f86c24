// One message for the user, styled by how much it matters: errors are alerts (read out at once),
// warnings and information are calm, politely announced messages (not role="status": that role
// belongs to the status bar alone, which outside checks find by it).
import { severityOf, type AppErrorView } from '../../../shared/errors';

export interface NoticeView {
  code: AppErrorView['code'] | 'SIGNED_OUT';
  message: string;
}

export function Notice({ notice, onDismiss }: { notice: NoticeView; onDismiss(): void }) {
  const severity = notice.code === 'SIGNED_OUT' ? 'info' : severityOf(notice.code);
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
