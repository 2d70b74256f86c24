import { describe, expect, it } from 'vitest';
import { createEventHub } from '../../../main/ipc/event-hub';

describe('event hub', () => {
  it('keeps a notice raised before any window connected and delivers it to the first one, once', () => {
    const hub = createEventHub();
    hub.emit('notice', { code: 'KEYCHAIN_UNAVAILABLE', message: 'No keychain.' });
    const first: unknown[] = [];
    const second: unknown[] = [];
    hub.subscribe((event, payload) => first.push([event, payload]));
    hub.subscribe((event, payload) => second.push([event, payload]));
    expect(first).toEqual([['notice', { code: 'KEYCHAIN_UNAVAILABLE', message: 'No keychain.' }]]);
    expect(second).toEqual([]);
  });

  it('refuses an event payload outside the contract', () => {
    const hub = createEventHub();
    expect(() => hub.emit('openExternal', { url: 'javascript:alert(1)' })).toThrow();
  });
});
