// Events from the main process to whichever renderers are connected, checked against the contract.
import { events, type EventName, type EventPayload } from '../../shared/ipc-contract';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface EventHub {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      const checked = events[event].parse(payload) as EventPayload<typeof event>;
      for (const listener of listeners) listener(event, checked);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
