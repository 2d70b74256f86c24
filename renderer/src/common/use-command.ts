// The renderer's two hooks over window.api: run a command and settle its typed result, and follow
// an event. Components never touch the transport or repeat the ok/error branching.
import { useCallback, useEffect, useRef } from 'react';
import type { Api, AppErrorView, CommandInput, CommandName, CommandOutput, EventName, EventPayload } from '../../../shared/ipc-contract';

/**
 * The commands a person's own action runs: when one of them succeeds, an error shown for an
 * earlier action is old news (reads that refresh a screen in the background do not count).
 */
const ACTIONS: ReadonlySet<CommandName> = new Set<CommandName>([
  'session.signIn',
  'session.signOut',
  'datasets.openOrCreate',
  'datasets.delete',
  'datasets.setPolicy',
  'datasets.importCommit',
  'records.put',
  'records.remove',
  'conflicts.resolve',
  'sync.now',
  'sync.setWorkOffline',
]);

/**
 * Calls a command; on error hands the error to `onError` and resolves undefined. When an action
 * (see ACTIONS) succeeds, `onActionDone` hears of it first.
 */
export function useCommand(api: Api, onError: (error: AppErrorView) => void, onActionDone?: () => void) {
  const errorRef = useRef(onError);
  errorRef.current = onError;
  const doneRef = useRef(onActionDone);
  doneRef.current = onActionDone;
  return useCallback(
    async <C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C> | undefined> => {
      const result = await api.call(command, input);
      if (result.ok) {
        if (ACTIONS.has(command)) doneRef.current?.();
        return result.value as CommandOutput<C>;
      }
      errorRef.current(result.error);
      return undefined;
    },
    [api],
  );
}

/** Subscribes to an event for the component's lifetime. */
export function useEvent<E extends EventName>(api: Api, event: E, listener: (payload: EventPayload<E>) => void): void {
  const listenerRef = useRef(listener);
  listenerRef.current = listener;
  useEffect(() => api.on(event, (payload) => listenerRef.current(payload)), [api, event]);
}
