/**
 * Posts a message to a Slack incoming webhook (or any endpoint taking the same JSON). The webhook
 * URL is a credential: whoever holds it can post to the channel. So it is never logged or returned,
 * it only travels over TLS, and redirects are refused (a redirect would carry the body elsewhere).
 */

export interface SlackPostOptions {
  /** Slack answers in well under a second; a slow post must not hold up the shift. Default 2500 ms. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export interface SlackPostResult {
  readonly delivered: boolean;
  /** Why it was not delivered; never contains the URL. */
  readonly error?: string;
}

export const SLACK_TIMEOUT_MS = 2_500;

/**
 * Plain http is allowed only to this machine: the local twin's and the tests' sink listens on
 * 127.0.0.1, and a URL that never leaves the host cannot leak on the wire.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const urlProblem = (url: string): string | undefined => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'the webhook URL in the secret is not a URL';
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)) return undefined;
  return 'the webhook URL must be https (plain http is allowed only to 127.0.0.1 or localhost)';
};

/** Removes the URL, and its path on its own (the secret part), from text that came back from a request. */
const scrubbed = (text: string, url: string): string => {
  let path = '';
  try {
    path = new URL(url).pathname;
  } catch {
    // Not a URL: only the whole string is scrubbed.
  }
  let result = text.replaceAll(url, '<webhook>');
  if (path.length > 1) result = result.replaceAll(path, '<path>');
  return result;
};

interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
}

/** Duck-typed: fetch's errors may come from another realm (a test VM), where instanceof fails. */
const asErrorLike = (value: unknown): ErrorLike => (typeof value === 'object' && value !== null ? value : {});

/** Node's fetch fails with "fetch failed" and puts what happened (ECONNREFUSED …) in its cause. */
const failureReason = (error: unknown, timeoutMs: number): string => {
  const { name, message, cause } = asErrorLike(error);
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const { code } = asErrorLike(cause);
  if (typeof code === 'string') return `could not reach the webhook: ${code}`;
  return `could not reach the webhook: ${String(name ?? 'Error')}${typeof message === 'string' ? `: ${message}` : ''}`;
};

/** Posts `body` as JSON. Never throws: a notification that fails must not fail the shift. */
export const postSlackMessage = async (
  url: string,
  body: unknown,
  options: SlackPostOptions = {},
): Promise<SlackPostResult> => {
  const problem = urlProblem(url);
  if (problem !== undefined) return { delivered: false, error: problem };
  const timeoutMs = options.timeoutMs ?? SLACK_TIMEOUT_MS;
  const post = options.fetch ?? fetch;
  try {
    const response = await post(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Slack answers `ok`, or an error code such as `invalid_blocks` or `no_service`.
    const answer = (await response.text()).slice(0, 200);
    if (response.ok) return { delivered: true };
    return {
      delivered: false,
      error: scrubbed(
        `the webhook answered HTTP ${response.status}${answer === '' ? '' : `: ${answer}`}`,
        url,
      ),
    };
  } catch (error) {
    return { delivered: false, error: scrubbed(failureReason(error, timeoutMs), url) };
  }
};
