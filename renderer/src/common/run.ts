import type { CommandInput, CommandName, CommandOutput } from '../../../shared/ipc-contract';

/** A command call whose error the app has already shown; undefined then. */
export type Run = <C extends CommandName>(command: C, input: CommandInput<C>) => Promise<CommandOutput<C> | undefined>;
