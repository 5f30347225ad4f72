/**
 * Where a chat reply may be posted. A request names its own reply URL (Slack's `response_url`, a
 * webhook's `callbackUrl`); without these checks a signed-but-hostile request could make the
 * handler POST to any address it can reach.
 */

export type UrlVerdict =
  | { readonly ok: true; readonly url: URL }
  | { readonly ok: false; readonly reason: string };

export const MAX_URL_LENGTH = 2_048;

/** Plain http is allowed only to this machine: the local twin's stand-in for Slack. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The URL's shape alone: https (http only to loopback), no credentials, bounded length. */
export const checkUrlShape = (text: string): UrlVerdict => {
  if (text.length > MAX_URL_LENGTH) return { ok: false, reason: `longer than ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    return { ok: false, reason: 'must be an https URL' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'must not carry credentials' };
  return { ok: true, url };
};

/** `host:*` matches any port, and only for loopback: a twin started on whatever port a test picked. */
const hostMatches = (allowed: string, url: URL): boolean => {
  const entry = allowed.toLowerCase();
  if (entry.endsWith(':*')) {
    const host = entry.slice(0, -2);
    return LOOPBACK_HOSTS.has(host) && url.hostname.toLowerCase() === host;
  }
  return entry === url.host.toLowerCase();
};

/**
 * The shape, and the host on the allow-list (`chatops.responseHosts`). An entry is a host name
 * (`hooks.slack.com`, default port only), `host:port` (the twin's `127.0.0.1:4566`), or a loopback
 * host with any port (`127.0.0.1:*`); case does not matter, subdomains are not implied.
 */
export const checkResponseUrl = (text: string, allowedHosts: readonly string[]): UrlVerdict => {
  const shape = checkUrlShape(text);
  if (!shape.ok) return shape;
  const host = shape.url.host.toLowerCase();
  if (!allowedHosts.some((allowed) => hostMatches(allowed, shape.url)))
    return { ok: false, reason: `host ${host} is not in chatops.responseHosts` };
  return shape;
};
