import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { syncBuiltinESMExports } from 'node:module';

/**
 * Who is calling, inside the twin's process. Every deployed function runs here, sharing one
 * process.env, so the SDK clients of all functions sign with the same environment credentials. The
 * twin gives each caller its own identity instead: the Lambda runtime runs each invocation, and Step
 * Functions each execution, inside an AsyncLocalStorage store naming the principal (role + session);
 * every HTTP request made from inside that store has the access key id in its SigV4 Authorization
 * header replaced by the principal's own key, which the twin's server maps back to the role.
 */
export interface PrincipalRef {
  /** The role's ARN, as the template gives it (`arn:aws:iam::<account>:role/<name>`). */
  readonly roleArn: string;
  /** The role session: a function's name (as Lambda names it), a state machine's or rule's name. */
  readonly sessionName: string;
}

const callers = new AsyncLocalStorage<PrincipalRef | undefined>();

/** Runs `work` as `principal`; with none, as no one in particular (the twin itself, the operator). */
export const runAs = <T>(principal: PrincipalRef | undefined, work: () => T): T =>
  callers.run(principal, work);

/** The principal the current code runs as, if any. */
export const currentPrincipal = (): PrincipalRef | undefined => callers.getStore();

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * A principal's access key id: `ASIA` (AWS's prefix for temporary credentials, which is what a
 * Lambda function's role session has) and 16 characters derived from role and session, so the
 * same principal has the same key in every twin and the server needs no handshake to learn it.
 */
export const accessKeyIdOf = (principal: PrincipalRef): string => {
  const digest = createHash('sha256').update(`${principal.roleArn}\n${principal.sessionName}`).digest();
  return `ASIA${Array.from(digest.subarray(0, 16), (byte) => BASE32[byte % 32]).join('')}`;
};

/** The access key id a SigV4 Authorization header names. */
export const accessKeyIdIn = (authorization: string | undefined): string | undefined =>
  authorization === undefined ? undefined : /Credential=([^/,\s]+)\//.exec(authorization)?.[1];

const rewrite = (request: http.ClientRequest): void => {
  const principal = callers.getStore();
  if (principal === undefined) return;
  const authorization = request.getHeader('authorization');
  if (typeof authorization !== 'string' || !authorization.startsWith('AWS4-')) return;
  request.setHeader(
    'authorization',
    authorization.replace(/Credential=[^/,\s]+\//, `Credential=${accessKeyIdOf(principal)}/`),
  );
};

let installs = 0;
let original: typeof http.request | undefined;

/** The `node:http` module object, whose `request` property the SDK reads (writable at run time). */
const httpModule = http as { request: typeof http.request };

/**
 * Wraps `http.request` so requests made inside a principal's store carry its key. Why not
 * `diagnostics_channel`: on Node 20 `http.client.request.start` is published from
 * ClientRequest#_finish, after the headers have been written (setHeader there throws
 * ERR_HTTP_HEADERS_SENT); `http.client.request.created` (Node 22.12+) comes before them and can
 * replace this wrapper once the project moves to Node 22. The SDK's node-http-handler reads
 * `request` from the `node:http` module object when it builds its agent, so bundles (ES modules)
 * and source handlers both see the wrapper; `syncBuiltinESMExports` updates named ESM imports too.
 * (`http.get` ends its request before returning it, too late to change a header; the SDK never
 * uses it.) The SigV4 signature no longer matches the header, which the twin never verifies.
 *
 * Returns a function that uninstalls it (reference-counted: several twins in one test process).
 */
export const installCredentialRewrite = (): (() => void) => {
  if (installs++ === 0) {
    const saved = httpModule.request;
    original = saved;
    httpModule.request = function request(this: unknown, ...args: unknown[]) {
      const made = (saved as (...a: unknown[]) => http.ClientRequest).apply(this, args);
      rewrite(made);
      return made;
    } as typeof http.request;
    syncBuiltinESMExports();
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--installs === 0 && original !== undefined) {
      httpModule.request = original;
      original = undefined;
      syncBuiltinESMExports();
    }
  };
};
