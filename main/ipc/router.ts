// One router behind every transport: it validates each request against shared/ipc-contract.ts,
// refuses the contract's SIGNED_IN_COMMANDS while nobody is signed in (before any handler runs, so
// no handler can read or write for nobody), dispatches it, and turns every failure into a typed
// {code, message} — never a raw error.
import type { z } from 'zod';
import {
  commands,
  isCommandName,
  SIGNED_IN_COMMANDS,
  type AppErrorView,
  type CommandInput,
  type CommandName,
  type CommandOutput,
  type CommandResult,
} from '../../shared/ipc-contract';

export type Handlers = { [C in CommandName]: (input: CommandInput<C>) => Promise<CommandOutput<C>> };

export interface Router {
  dispatch(command: unknown, input: unknown): Promise<CommandResult<CommandName>>;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`)
    .join('; ');
}

const needsSignIn: ReadonlySet<string> = new Set(SIGNED_IN_COMMANDS);

export function createRouter(
  handlers: Handlers,
  toAppError: (error: unknown) => AppErrorView,
  /** Whether someone is signed in now: asked before every command of SIGNED_IN_COMMANDS. */
  isSignedIn: () => boolean | Promise<boolean>,
): Router {
  return {
    async dispatch(command, input) {
      if (!isCommandName(command)) {
        return {
          ok: false,
          error: { code: 'IPC_UNKNOWN_COMMAND', message: 'The app asked for something this version does not do. Restart the app.' },
        };
      }
      const parsed = commands[command].input.safeParse(input ?? {});
      if (!parsed.success) {
        return {
          ok: false,
          error: { code: 'IPC_BAD_INPUT', message: `The request "${command}" was malformed (${describeIssues(parsed.error)}). Nothing was changed.` },
        };
      }
      try {
        if (needsSignIn.has(command) && !(await isSignedIn())) {
          return { ok: false, error: { code: 'NOT_SIGNED_IN', message: 'You are not signed in. Click Sign in.' } };
        }
        const handler = handlers[command] as (input: unknown) => Promise<unknown>;
        const value = commands[command].output.parse(await handler(parsed.data)) as CommandOutput<CommandName>;
        return { ok: true, value };
      } catch (error) {
        return { ok: false, error: toAppError(error) };
      }
    },
  };
}
