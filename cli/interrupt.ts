import type { CliIo } from './io';

/** Exit code of a command ended by Ctrl-C (128 + SIGINT), the shell convention. */
export const EXIT_INTERRUPTED = 130;

/**
 * A signal that ends a long-running command (watch, --wait, local): the one the caller passed, or
 * Ctrl-C / SIGTERM while the command runs. Other commands keep Node's default (Ctrl-C kills).
 */
export const interruptSignal = (io: CliIo): { signal: AbortSignal; dispose: () => void } => {
  if (io.signal !== undefined) return { signal: io.signal, dispose: () => {} };
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
};
