// A promise rejected with no one to hear it ends a Node process by default. In either host (the
// browser host, Electron's main process) that would end every page's connection and the sync with
// them, for what is at worst one failed request: such a rejection is logged (as an error, redacted
// like every log line) and the host keeps serving.
import type { Logger } from './log';

/** Installs the handler once per process; returns its removal (for tests). */
export function keepServingOnUnhandledRejection(log: Logger, on: Pick<NodeJS.Process, 'on' | 'off'> = process): () => void {
  const handler = (reason: unknown) => {
    log.error('a promise was rejected with no handler; the host keeps serving', {
      error: reason instanceof Error ? { name: reason.name, message: reason.message, code: (reason as { code?: unknown }).code } : { type: typeof reason },
    });
  };
  on.on('unhandledRejection', handler);
  return () => void on.off('unhandledRejection', handler);
}
