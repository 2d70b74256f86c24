// Events from the main process to whichever renderers are connected, checked against the contract.
// A notice raised while no renderer is connected (e.g. at start-up) waits for the first one, so
// "said once" never means "said to no one".
import { events, type EventName, type EventPayload } from '../../shared/ipc-contract';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface EventHub {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>();
  const undelivered: EventPayload<'notice'>[] = [];
  return {
    emit(event, payload) {
      const checked = events[event].parse(payload) as EventPayload<typeof event>;
      if (listeners.size === 0 && event === 'notice') undelivered.push(checked as EventPayload<'notice'>);
      for (const listener of listeners) listener(event, checked);
    },
    subscribe(listener) {
      listeners.add(listener);
      for (const notice of undelivered.splice(0)) listener('notice', notice);
      return () => void listeners.delete(listener);
    },
  };
}
