// The whole bridge between the renderer and the main process, in one place. The schemas are both
// the TypeScript types and the runtime check every transport applies before a handler runs.
import { z } from 'zod';

export const appErrorSchema = z.object({ code: z.string(), message: z.string() });
export type AppErrorView = z.infer<typeof appErrorSchema>;

export const profileSchema = z.object({
  sub: z.string(),
  email: z.string().optional(),
  name: z.string().optional(),
  picture: z.string().optional(),
});

export const sessionViewSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('signedOut'), reason: appErrorSchema.optional() }),
  z.object({ state: z.literal('signingIn') }),
  z.object({ state: z.literal('signedIn'), profile: profileSchema, identityId: z.string().optional() }),
]);
export type SessionView = z.infer<typeof sessionViewSchema>;

const empty = z.object({}).strict();

export const commands = {
  'session.get': { input: empty, output: sessionViewSchema },
  'session.signIn': { input: empty, output: sessionViewSchema },
  'session.cancelSignIn': { input: empty, output: sessionViewSchema },
  'session.signOut': {
    input: z.object({ removeLocalData: z.boolean() }).strict(),
    output: sessionViewSchema,
  },
} as const;

export const events = {
  'session.changed': sessionViewSchema,
  /** Something the user should read once (e.g. KEYCHAIN_UNAVAILABLE), shown as an alert. */
  notice: appErrorSchema,
  /** The browser host cannot open a system browser: it asks the page to open the URL in a tab. */
  openExternal: z.object({ url: z.url({ protocol: /^https?$/ }) }),
} as const;

export type CommandName = keyof typeof commands;
export type CommandInput<C extends CommandName> = z.infer<(typeof commands)[C]['input']>;
export type CommandOutput<C extends CommandName> = z.infer<(typeof commands)[C]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

/** What a transport carries back for a command: a value, or a typed error — never a raw Error. */
export type CommandResult<C extends CommandName> =
  | { ok: true; value: CommandOutput<C> }
  | { ok: false; error: AppErrorView };

/** window.api in the renderer, whichever transport is underneath. */
export interface Api {
  call<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandResult<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && Object.hasOwn(commands, value);
}
