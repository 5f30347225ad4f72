import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFleetConfig } from '../../core/config-yaml';
import { startTwin, type Twin, type TwinOptions } from '../../local/server';

/**
 * The whole twin in this process (router, dynalite, admin endpoint) on a free loopback port, with
 * the demo fleet's ELBv2 state seeded. No template is deployed: jest cannot import the ESM Lambda
 * bundles, and nothing here needs them.
 */
const DEMO = join(__dirname, '..', '..', 'local', 'demo');
export const SEED_FILE = join(DEMO, 'seed.json');
export const demoConfig = parseFleetConfig(
  readFileSync(join(DEMO, 'clustershift.demo.yaml'), 'utf8'),
  'demo',
);
export const DEMO_LB = demoConfig.loadBalancers[0]?.arn ?? '';

/** startTwin points process.env at the twin for its in-process handlers; the tests put it back after. */
export const startSeededTwin = async (options: TwinOptions = {}): Promise<Twin & { restoreEnv(): void }> => {
  const saved = { ...process.env };
  const twin = await startTwin({ port: 0, seedFile: SEED_FILE, ...options });
  return Object.assign(twin, {
    restoreEnv: () => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    },
  });
};

/** SDK client settings for the twin; no SDK retries, so every error the twin sends is seen as sent. */
export const clientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'twin', secretAccessKey: 'twin' },
  maxAttempts: 1,
});

export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** One raw HTTP request to the twin, for what the SDK would never send. */
export const raw = async (
  endpoint: string,
  init: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Uint8Array },
): Promise<RawAnswer> => {
  const response = await fetch(`${endpoint}${init.path ?? '/'}`, {
    method: init.method ?? 'POST',
    headers: init.headers,
    body: init.body,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

export const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
export const ELBV2_VERSION = 'Version=2015-12-01';

/** An awsQuery form POST (no SigV4 scope: the twin routes it by Version). */
export const postForm = (endpoint: string, body: string): Promise<RawAnswer> =>
  raw(endpoint, { headers: FORM, body });

/** An awsJson POST with the given X-Amz-Target. */
export const postJson = (endpoint: string, target: string, body: string): Promise<RawAnswer> =>
  raw(endpoint, { headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target }, body });

/** An admin call; answers the parsed JSON body and status. */
export const admin = async (
  endpoint: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> => {
  const answer = await raw(endpoint, {
    method,
    path: `/_twin/${path}`,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: answer.status, body: JSON.parse(answer.text) as Record<string, unknown> };
};

/** The awsQuery error document: well formed, one code, one message (checked without an XML library). */
export const QUERY_ERROR =
  /^<ErrorResponse xmlns="[^"<]*"><Error><Type>(Sender|Receiver)<\/Type><Code>([^<]+)<\/Code><Message>[^<]*<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/;

export const queryErrorCode = (text: string): string | undefined => QUERY_ERROR.exec(text)?.[2];

/** The awsJson error document's `__type`, or undefined when the body is not one. */
export const jsonErrorCode = (text: string): string | undefined => {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { __type, message } = parsed as { __type?: unknown; message?: unknown };
    return typeof __type === 'string' && typeof message === 'string' ? __type : undefined;
  } catch {
    return undefined;
  }
};

/** Twin time as the Date header says it (second precision). */
export const dateHeader = (answer: RawAnswer): number => Date.parse(answer.headers.get('date') ?? '');
