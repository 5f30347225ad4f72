/**
 * The services' clock as seen from here: the offset between the HTTP `Date` header of their
 * responses and this machine's clock. "The last five minutes" of metrics must be the service's
 * minutes: the local twin compresses time, and a laptop's clock can be off on real AWS too.
 * (The SDK's own systemClockOffset only moves once the skew passes five minutes.)
 */
export class ServiceClock {
  private offsetMs = 0;
  /** Whether any response has told the service's time yet. */
  synced = false;

  constructor(private readonly localNow: () => number = Date.now) {}

  now(): Date {
    return new Date(this.localNow() + this.offsetMs);
  }

  /** Records the offset from a raw HTTP response, if it carries a Date header. */
  observe(response: unknown): void {
    const headers = (response as { headers?: Record<string, string | undefined> } | undefined)?.headers;
    const date = headers?.date ?? headers?.Date;
    if (date === undefined) return;
    const at = Date.parse(date);
    // The header has whole seconds: the service's time is somewhere in the next second.
    if (!Number.isFinite(at)) return;
    this.offsetMs = at + 500 - this.localNow();
    this.synced = true;
  }

  /** An SDK middleware (deserialize step) feeding every response of a client into `observe`. */
  middleware() {
    return <A, R extends { response: unknown }>(next: (args: A) => Promise<R>) =>
      async (args: A): Promise<R> => {
        try {
          const result = await next(args);
          this.observe(result.response);
          return result;
        } catch (error) {
          this.observe((error as { $response?: unknown }).$response);
          throw error;
        }
      };
  }
}

export const SERVICE_CLOCK_MIDDLEWARE = { step: 'deserialize', name: 'clustershiftServiceClock' } as const;
