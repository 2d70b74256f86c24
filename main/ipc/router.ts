// One router behind every transport: it validates each request against shared/ipc-contract.ts,
// dispatches it, and turns every failure into a typed {code, message} — never a raw error.
import type { z } from 'zod';
import {
  commands,
  isCommandName,
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

export function createRouter(handlers: Handlers, toAppError: (error: unknown) => AppErrorView): Router {
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
        const handler = handlers[command] as (input: unknown) => Promise<unknown>;
        const value = commands[command].output.parse(await handler(parsed.data)) as CommandOutput<CommandName>;
        return { ok: true, value };
      } catch (error) {
        return { ok: false, error: toAppError(error) };
      }
    },
  };
}
