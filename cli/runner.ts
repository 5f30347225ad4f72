import type { Command } from 'commander';
import { Context, type GlobalOptions } from './context';
import type { CliIo } from './io';

/** A command's body: gets the context, its positional arguments and its own options; returns the exit code. */
export type CommandBody<O> = (
  ctx: Context,
  args: readonly (string | undefined)[],
  options: O,
) => Promise<number>;

/**
 * Glue between commander and the command bodies: builds the context from the global options,
 * keeps the exit code (commander does not carry return values) and closes the clients after.
 */
export class Runner {
  exitCode = 0;

  constructor(private readonly io: CliIo) {}

  action<O>(body: CommandBody<O>) {
    return async (...received: unknown[]): Promise<void> => {
      const command = received[received.length - 1] as Command;
      const ctx = new Context(command.optsWithGlobals<GlobalOptions>(), this.io);
      try {
        this.exitCode = await body(ctx, command.processedArgs as (string | undefined)[], command.opts() as O);
      } finally {
        ctx.close();
      }
    };
  }
}
