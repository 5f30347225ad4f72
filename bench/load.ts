import { type LatencySummary, summarizeLatencies } from './stats';

export interface LoadOptions {
  /** Requests in flight at once: each worker sends its next request when the last one answered. */
  readonly concurrency: number;
  /** How long the measured phase lasts, ms. */
  readonly durationMs: number;
  /** An unmeasured phase first (connections, JIT), ms. */
  readonly warmUpMs: number;
}

export interface LoadResult extends LatencySummary {
  readonly errors: number;
  readonly firstError?: string;
}

/** One request; `worker` and `sequence` let the caller spread requests over resources. */
export type LoadRequest = (worker: number, sequence: number) => Promise<unknown>;

const phase = async (request: LoadRequest, concurrency: number, durationMs: number) => {
  const latencies: number[] = [];
  const errors: string[] = [];
  let sequence = 0;
  const started = performance.now();
  const end = started + durationMs;
  const worker = async (id: number): Promise<void> => {
    while (performance.now() < end) {
      const sent = performance.now();
      try {
        await request(id, sequence++);
        latencies.push(performance.now() - sent);
      } catch (error) {
        errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(id)));
  // The last requests finish after `end`: divide by the time everything took.
  return { latencies, errors, elapsedMs: performance.now() - started };
};

/** A closed-loop load: `concurrency` workers send `request` back to back for a fixed duration. */
export const runLoad = async (request: LoadRequest, options: LoadOptions): Promise<LoadResult> => {
  if (options.warmUpMs > 0) await phase(request, options.concurrency, options.warmUpMs);
  const { latencies, errors, elapsedMs } = await phase(request, options.concurrency, options.durationMs);
  return {
    ...summarizeLatencies(latencies, elapsedMs),
    errors: errors.length,
    ...(errors[0] === undefined ? {} : { firstError: errors[0] }),
  };
};
