import { describe, expect, it } from 'vitest';
import { createRouter, type Handlers } from '../../../main/ipc/router';
import { commands, SIGNED_IN_COMMANDS, type SessionView } from '../../../shared/ipc-contract';

const signedOut: SessionView = { state: 'signedOut' };

// The router needs every command's handler; those a test does not call fail if called.
function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const unused = Object.fromEntries(
    Object.keys(commands).map((name) => [name, async () => Promise.reject(new Error(`${name} was not expected`))]),
  ) as unknown as Handlers;
  return {
    ...unused,
    'session.get': async () => signedOut,
    'session.signIn': async () => ({ state: 'signedIn', profile: { sub: 'auth0|1', email: 'a@example.com' } }),
    'session.cancelSignIn': async () => signedOut,
    'session.signOut': async () => signedOut,
    ...overrides,
  };
}

const toAppError = (error: unknown) => ({ code: 'INTERNAL' as const, message: `failed: ${(error as Error).message}` });

describe('IPC router', () => {
  it('answers a valid command with its value', async () => {
    const router = createRouter(handlers(), toAppError, () => true);
    expect(await router.dispatch('session.get', {})).toEqual({ ok: true, value: signedOut });
  });

  it('refuses a command that is not in the contract, without running anything', async () => {
    const router = createRouter(handlers(), toAppError, () => true);
    const result = await router.dispatch('fs.readFile', { path: '/etc/passwd' });
    expect(result).toMatchObject({ ok: false, error: { code: 'IPC_UNKNOWN_COMMAND' } });
  });

  it('refuses malformed input with a sentence naming the field, and the handler never runs', async () => {
    let ran = false;
    const router = createRouter(handlers({ 'session.signOut': async () => ((ran = true), signedOut) }), toAppError, () => true);
    const result = await router.dispatch('session.signOut', { removeLocalData: 'yes' });
    expect(result).toMatchObject({ ok: false, error: { code: 'IPC_BAD_INPUT' } });
    expect(!result.ok && result.error.message).toContain('removeLocalData');
    expect(ran).toBe(false);
  });

  it('refuses unexpected extra fields', async () => {
    const router = createRouter(handlers(), toAppError, () => true);
    expect(await router.dispatch('session.get', { sneaky: 1 })).toMatchObject({ ok: false, error: { code: 'IPC_BAD_INPUT' } });
  });

  it('turns a handler failure into a typed error, never a thrown one', async () => {
    const router = createRouter(handlers({ 'session.get': async () => { throw new Error('boom'); } }), toAppError, () => true);
    expect(await router.dispatch('session.get', {})).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'failed: boom' } });
  });

  it('passes on only what the contract names, so a stray secret in a handler result never crosses', async () => {
    const leaky = handlers({
      'session.get': async () => ({ state: 'signedIn', profile: { sub: 'auth0|1' }, refreshToken: 'secret' }) as SessionView,
    });
    const result = await createRouter(leaky, toAppError, () => true).dispatch('session.get', {});
    expect(result).toEqual({ ok: true, value: { state: 'signedIn', profile: { sub: 'auth0|1' } } });
    expect(JSON.stringify(result)).not.toContain('secret');
  });

  it('refuses every command of SIGNED_IN_COMMANDS with NOT_SIGNED_IN while nobody is, before its handler runs', async () => {
    const ran: string[] = [];
    const spying = Object.fromEntries(SIGNED_IN_COMMANDS.map((name) => [name, async () => void ran.push(name)]));
    let signedIn = false;
    const router = createRouter(handlers(spying as Partial<Handlers>), toAppError, () => signedIn);
    const result = await router.dispatch('sync.setWorkOffline', { workOffline: true });
    expect(result).toEqual({ ok: false, error: { code: 'NOT_SIGNED_IN', message: 'You are not signed in. Click Sign in.' } });
    expect(await router.dispatch('records.put', { dataset: 'D', key: 'k', value: 'v' })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(ran).toEqual([]);
    // Public commands are not asked about.
    expect(await router.dispatch('session.get', {})).toEqual({ ok: true, value: signedOut });
    signedIn = true;
    await router.dispatch('sync.setWorkOffline', { workOffline: true });
    expect(ran).toEqual(['sync.setWorkOffline']);
  });
});
