import type { TwinClock } from '../clock';
import { TwinError } from '../errors';
import { partitionOf } from '../partition';
import { LambdaInvokeError } from './errors';
import type { LambdaRuntime } from './runtime';

/**
 * Lambda's Invoke API (restJson1: `POST /2015-03-31/functions/{FunctionName}/invocations`) over the
 * twin's runtime, so a function can invoke another through the unchanged SDK client, as the ChatOps
 * function hands its slow work to a worker.
 *
 *   RequestResponse (default)  200, the function's JSON result; a failed function → 200 with
 *                              `X-Amz-Function-Error: Unhandled` and `{errorType, errorMessage, trace}`
 *   Event                      202 at once; the function runs in the background, once (the twin has
 *                              no retries or destinations); a failure is logged and kept (`asyncFailures`)
 *   DryRun                     204 when the function exists
 *
 * Errors are restJson1's: the code in `x-amzn-errortype`, the message in the JSON body.
 */
export const INVOCATIONS_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** Lambda's payload limits: 6 MB synchronous, 1 MB asynchronous. */
const MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
const MAX_ASYNC_PAYLOAD = 1024 * 1024;
const MAX_KEPT = 200;

export interface RestAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface AsyncInvocation {
  readonly functionName: string;
  /** Twin time, ISO 8601. */
  readonly at: string;
  status: 'running' | 'succeeded' | 'failed';
  error?: string;
}

export interface LambdaInvokeApiOptions {
  readonly runtime: LambdaRuntime;
  readonly clock: TwinClock;
  readonly region: string;
  readonly accountId: string;
  readonly log: (line: string) => void;
}

const INVOCATION_TYPES = ['RequestResponse', 'Event', 'DryRun'] as const;
type InvocationType = (typeof INVOCATION_TYPES)[number];

export class LambdaInvokeApi {
  private readonly running = new Set<Promise<void>>();
  private readonly recent: AsyncInvocation[] = [];

  constructor(private readonly options: LambdaInvokeApiOptions) {}

  /** Answers an Invoke request; throws TwinError (restJson1-encoded by the router) for a bad one. */
  async handle(
    method: string,
    url: string,
    headers: Readonly<Record<string, string | undefined>>,
    body: Buffer,
  ) {
    const parsed = new URL(url, 'http://twin');
    const match = INVOCATIONS_PATH.exec(parsed.pathname);
    if (method !== 'POST' || match === null) {
      throw new TwinError(
        'UnknownOperationException',
        `the twin's Lambda answers Invoke only (POST /2015-03-31/functions/{FunctionName}/invocations), not ${method} ${parsed.pathname.slice(0, 100)}`,
        404,
      );
    }
    const name = decodeURIComponent(match[1] ?? '');
    const qualifier = parsed.searchParams.get('Qualifier');
    const fn = this.find(qualifier === null ? name : `${name}:${qualifier}`);
    const type = invocationType(headers['x-amz-invocation-type']);
    const limit = type === 'Event' ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
    if (body.length > limit) {
      throw new TwinError(
        'RequestTooLargeException',
        `Request must be smaller than ${limit} bytes for the ${type === 'Event' ? 'InvokeAsync' : 'InvokeFunction'} operation`,
        413,
      );
    }
    const payload = parsePayload(body);
    switch (type) {
      case 'DryRun':
        return answer(204, {}, '');
      case 'Event':
        this.startInBackground(fn.name, fn.arn, payload);
        return answer(202, {}, '');
      case 'RequestResponse':
        try {
          const result = await this.options.runtime.invoke(fn.arn, payload);
          return answer(200, { 'x-amz-executed-version': '$LATEST' }, JSON.stringify(result));
        } catch (error) {
          if (!(error instanceof LambdaInvokeError)) throw error;
          return answer(
            200,
            { 'x-amz-executed-version': '$LATEST', 'x-amz-function-error': 'Unhandled' },
            JSON.stringify(error.toPayload()),
          );
        }
    }
  }

  /** The last asynchronous invocations (at most 200), oldest first, with how each ended. */
  asyncInvocations(): readonly AsyncInvocation[] {
    return this.recent;
  }

  /** Whether an asynchronous invocation is still running (queued work that may yet start more). */
  busy(): boolean {
    return this.running.size > 0;
  }

  /** Resolves once every asynchronous invocation started so far has ended (tests, the demo). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private find(reference: string): { name: string; arn: string } {
    try {
      return this.options.runtime.find(reference);
    } catch (error) {
      if (!(error instanceof TwinError)) throw error;
      // Lambda names the function by its full ARN in the message.
      const arn = reference.startsWith('arn:')
        ? reference
        : `arn:${partitionOf(this.options.region)}:lambda:${this.options.region}:${this.options.accountId}:function:${reference.replace(/^[0-9]{12}:function:/, '')}`;
      throw new TwinError('ResourceNotFoundException', `Function not found: ${arn}`, 404);
    }
  }

  private startInBackground(name: string, arn: string, payload: unknown): void {
    const record: AsyncInvocation = {
      functionName: name,
      at: this.options.clock.date().toISOString(),
      status: 'running',
    };
    this.recent.push(record);
    if (this.recent.length > MAX_KEPT) this.recent.splice(0, this.recent.length - MAX_KEPT);
    const run = this.options.runtime.invoke(arn, payload).then(
      () => {
        record.status = 'succeeded';
      },
      (error: unknown) => {
        record.status = 'failed';
        record.error =
          error instanceof LambdaInvokeError
            ? `${error.errorType}: ${error.errorMessage}`
            : error instanceof Error
              ? error.message
              : String(error);
        this.options.log(`twin: asynchronous invocation of ${name} failed: ${record.error}`);
      },
    );
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }
}

const answer = (status: number, headers: Record<string, string>, body: string): RestAnswer => ({
  status,
  headers: body === '' ? headers : { 'content-type': 'application/json', ...headers },
  body,
});

const invocationType = (header: string | undefined): InvocationType => {
  if (header === undefined || header === '') return 'RequestResponse';
  const found = INVOCATION_TYPES.find((type) => type === header);
  if (found === undefined) {
    throw new TwinError(
      'InvalidParameterValueException',
      `X-Amz-Invocation-Type must be one of ${INVOCATION_TYPES.join(', ')}, got ${header.slice(0, 50)}`,
    );
  }
  return found;
};

/** The event: the JSON body, `{}` when there is none (as Lambda gives an empty payload). */
const parsePayload = (body: Buffer): unknown => {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TwinError(
      'InvalidRequestContentException',
      `Could not parse request body into json: ${error instanceof Error ? error.message : 'invalid JSON'}`,
    );
  }
};
