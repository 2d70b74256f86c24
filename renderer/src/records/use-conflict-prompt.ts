// The conflicts waiting for a choice are listed above the table; the dialog opens when the person
// asks (Choose…), never because a sync running by itself found one. After a choice the next
// waiting conflict is asked, and a resolved one leaves the list at once, so it is not asked again.
import { useEffect, useMemo, useState } from 'react';
import type { ConflictView } from '../../../shared/ipc-contract';

export function useConflictPrompt(conflicts: readonly ConflictView[] | undefined) {
  const [resolving, setResolving] = useState<ConflictView | undefined>();
  const [resolved, setResolved] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    setResolved(new Set());
  }, [conflicts]);
  const open = useMemo(() => (conflicts ?? []).filter((conflict) => !resolved.has(conflict.key)), [conflicts, resolved]);

  return {
    open,
    resolving,
    choose: () => setResolving(open[0]),
    done() {
      if (resolving === undefined) return;
      setResolved((keys) => new Set(keys).add(resolving.key));
      setResolving(open.find((conflict) => conflict.key !== resolving.key));
    },
    later: () => setResolving(undefined),
  };
}
