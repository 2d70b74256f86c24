// One command's answer, read when the component mounts (or its input changes) and again when a
// change concerns it — coalesced: changes that arrive during a read make one more read after it.
// What was loaded stays shown while it is read again.
import { useEffect, useRef, useState } from 'react';
import type { CommandInput, CommandName, CommandOutput } from '../../../shared/ipc-contract';
import type { DataChange } from './data-client';
import { useData } from './data-context';

export interface QueryOptions<C extends CommandName> {
  /** Whether a change may alter this answer. */
  concerns(change: DataChange): boolean;
  /** Called with each new answer, the one before, and the changes that led to the read (none at first). */
  onAnswer?(next: CommandOutput<C>, previous: CommandOutput<C> | undefined, causes: readonly DataChange[]): void;
}

export function useQuery<C extends CommandName>(command: C, input: CommandInput<C>, options: QueryOptions<C>): CommandOutput<C> | undefined {
  const { run, subscribe } = useData();
  const key = JSON.stringify([command, input]);
  const [answer, setAnswer] = useState<{ key: string; value: CommandOutput<C> }>();
  const latest = useRef({ input, options });
  latest.current = { input, options };

  useEffect(() => {
    let alive = true;
    let reading = false;
    let queued: DataChange[] | undefined;
    let previous: CommandOutput<C> | undefined;
    const read = async (causes: DataChange[]) => {
      reading = true;
      const value = await run(command, latest.current.input);
      reading = false;
      if (!alive) return;
      if (value !== undefined) {
        latest.current.options.onAnswer?.(value, previous, causes);
        previous = value;
        setAnswer({ key, value });
      }
      if (queued !== undefined) {
        const next = queued;
        queued = undefined;
        void read(next);
      }
    };
    void read([]);
    const stop = subscribe((change) => {
      if (!latest.current.options.concerns(change)) return;
      if (reading) (queued ??= []).push(change);
      else void read([change]);
    });
    return () => {
      alive = false;
      stop();
    };
  }, [run, subscribe, command, key]);

  return answer?.key === key ? answer.value : undefined;
}
