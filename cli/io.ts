/** Where the CLI reads and writes. `run` gets the process's; tests pass buffers and an instant sleep. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths (`--config`) resolve against. */
  readonly cwd?: string;
  /** Waits between polls; resolves early when `signal` aborts. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Ends long-running commands (watch, local); the real CLI aborts it on Ctrl-C. */
  readonly signal?: AbortSignal;
}

/** The longest delay one Node timer waits: a longer one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Waits `ms` (a huge `--interval` too, in timers Node can hold); resolves early when `signal` aborts. */
export const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    let remaining = Math.max(0, ms);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const wait = (): void => {
      const chunk = Math.min(remaining, MAX_TIMER_MS);
      remaining -= chunk;
      timer = setTimeout(() => (remaining > 0 ? wait() : done()), chunk);
    };
    signal?.addEventListener('abort', done, { once: true });
    wait();
  });

export const processIo = (): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});

/** Lines to stdout (human output) or one JSON document (with --json). */
export class Output {
  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
  ) {}

  /** Human-readable lines; suppressed with --json so stdout stays one parseable document. */
  line(text = ''): void {
    if (!this.json) this.io.stdout.write(`${text}\n`);
  }

  lines(texts: readonly string[]): void {
    for (const text of texts) this.line(text);
  }

  /** The machine-readable result; only written with --json. */
  data(value: unknown): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /** Notes for the operator that are not the result (endpoint in use, warnings): always stderr. */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }
}
