import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Request signatures of Slack and of clustershift's generic webhook. Both are
 * `<version>=hex(HMAC-SHA256(secret, "<version>:<timestamp>:<raw body>"))` with the timestamp in
 * its own header; they differ only in header names and version. Checked on the raw body, before
 * anything in it is parsed. Reasons are for logs: they never contain the secret or the expected
 * signature.
 */

export type SignatureVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** HTTP headers as API Gateway (v2 lower-cases names) or anything else hands them over. */
export type RequestHeaders = Readonly<Record<string, string | undefined>>;

/** Slack's replay window: a request older or newer than this is refused. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export const SLACK_TIMESTAMP_HEADER = 'X-Slack-Request-Timestamp';
export const SLACK_SIGNATURE_HEADER = 'X-Slack-Signature';
export const WEBHOOK_TIMESTAMP_HEADER = 'X-Clustershift-Timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'X-Clustershift-Signature';

interface Scheme {
  readonly timestampHeader: string;
  readonly signatureHeader: string;
  readonly version: 'v0' | 'v1';
}

const SLACK: Scheme = {
  timestampHeader: SLACK_TIMESTAMP_HEADER,
  signatureHeader: SLACK_SIGNATURE_HEADER,
  version: 'v0',
};
const WEBHOOK: Scheme = {
  timestampHeader: WEBHOOK_TIMESTAMP_HEADER,
  signatureHeader: WEBHOOK_SIGNATURE_HEADER,
  version: 'v1',
};

/** SHA-256 digests are 32 bytes: 64 hex digits. */
const SIGNATURE_HEX = /^[0-9a-f]{64}$/i;
/** Unix seconds; twelve digits reach far past any plausible clock. */
const UNIX_SECONDS = /^\d{1,12}$/;

const reject = (reason: string): SignatureVerdict => ({ ok: false, reason });

/** A header's value whatever the case of its name; undefined when absent or sent twice under two cases. */
export const headerValue = (headers: RequestHeaders, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  const values = Object.entries(headers)
    .filter(([key, value]) => key.toLowerCase() === wanted && value !== undefined)
    .map(([, value]) => value);
  return values.length === 1 ? values[0] : undefined;
};

const hmac = (secret: string, version: string, timestamp: string, rawBody: string | Uint8Array): Buffer =>
  createHmac('sha256', secret).update(`${version}:${timestamp}:`).update(rawBody).digest();

const sign = (scheme: Scheme, secret: string, timestamp: number, rawBody: string | Uint8Array) => ({
  [scheme.timestampHeader]: String(timestamp),
  [scheme.signatureHeader]: `${scheme.version}=${hmac(secret, scheme.version, String(timestamp), rawBody).toString('hex')}`,
});

export interface VerifyInput {
  readonly headers: RequestHeaders;
  /** The body exactly as received (after base64 decoding, if API Gateway encoded it). */
  readonly rawBody: string | Uint8Array;
  /** The clock, passed in: core reads none. */
  readonly nowSeconds: number;
  readonly toleranceSeconds?: number;
}

const verify = (scheme: Scheme, secret: string, input: VerifyInput): SignatureVerdict => {
  const { headers, rawBody, nowSeconds, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS } = input;
  if (secret === '') return reject('no signing secret is configured');
  const timestamp = headerValue(headers, scheme.timestampHeader);
  const signature = headerValue(headers, scheme.signatureHeader);
  if (timestamp === undefined) return reject(`missing (or repeated) header ${scheme.timestampHeader}`);
  if (signature === undefined) return reject(`missing (or repeated) header ${scheme.signatureHeader}`);
  if (!UNIX_SECONDS.test(timestamp)) return reject(`${scheme.timestampHeader} is not unix seconds`);
  const age = nowSeconds - Number(timestamp);
  if (age > toleranceSeconds)
    return reject(`timestamp is ${age} s old (replay window ${toleranceSeconds} s)`);
  if (-age > toleranceSeconds)
    return reject(`timestamp is ${-age} s in the future (replay window ${toleranceSeconds} s)`);
  const prefix = `${scheme.version}=`;
  if (!signature.startsWith(prefix)) return reject(`signature is not a ${scheme.version} signature`);
  const hex = signature.slice(prefix.length);
  if (hex.length !== 64) return reject('signature has the wrong length');
  if (!SIGNATURE_HEX.test(hex)) return reject('signature is not hexadecimal');
  const expected = hmac(secret, scheme.version, timestamp, rawBody);
  const given = Buffer.from(hex, 'hex');
  // Both are 32 bytes here (checked above); timingSafeEqual throws on unequal lengths.
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return reject('signature does not match');
  return { ok: true };
};

/** Checks a Slack request (slash command or interaction) against the app's signing secret. */
export const verifySlackSignature = (
  input: VerifyInput & { readonly signingSecret: string },
): SignatureVerdict => verify(SLACK, input.signingSecret, input);

/** Checks a request to the generic webhook against its secret. */
export const verifyWebhookSignature = (input: VerifyInput & { readonly secret: string }): SignatureVerdict =>
  verify(WEBHOOK, input.secret, input);

/** The headers a generic-webhook client sends (`timestamp` in unix seconds). */
export const signWebhook = (
  secret: string,
  timestamp: number,
  rawBody: string | Uint8Array,
): Record<string, string> => sign(WEBHOOK, secret, timestamp, rawBody);

/** The headers Slack would send, for tests and the local twin. */
export const signSlackRequest = (
  secret: string,
  timestamp: number,
  rawBody: string | Uint8Array,
): Record<string, string> => sign(SLACK, secret, timestamp, rawBody);
