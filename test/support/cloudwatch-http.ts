import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CLOUDWATCH_TARGET_PREFIX,
  handleCloudWatchCbor,
  handleCloudWatchJson,
  handleCloudWatchQuery,
} from '../../local/cloudwatch/wire';
import { TwinError } from '../../local/errors';
import { decodeQuery, encodeQueryError } from '../../local/protocol/query';
import type { TwinService } from '../../local/service';

/**
 * A minimal HTTP front for CloudWatch conformance tests until the twin's router (local/server.ts)
 * takes over: tells the three protocols apart as AWS does (X-Amz-Target → awsJson; the Smithy RPC v2
 * path → CBOR; a form body → awsQuery) and writes out what local/cloudwatch/wire.ts answers.
 */
export interface CloudWatchHttp {
  readonly endpoint: string;
  close(): Promise<void>;
}

const CBOR_PATH = new RegExp(`^/service/${CLOUDWATCH_TARGET_PREFIX}/operation/([A-Za-z0-9]+)$`);

const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

const dispatch = async (service: TwinService, request: IncomingMessage, body: Buffer) => {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith(`${CLOUDWATCH_TARGET_PREFIX}.`))
    return handleCloudWatchJson(
      service,
      target.slice(CLOUDWATCH_TARGET_PREFIX.length + 1),
      body.toString('utf8'),
    );
  const cbor = CBOR_PATH.exec(request.url ?? '');
  if (cbor?.[1] !== undefined) return handleCloudWatchCbor(service, cbor[1], new Uint8Array(body));
  try {
    return handleCloudWatchQuery(service, decodeQuery(body.toString('utf8')));
  } catch (error) {
    if (!(error instanceof TwinError)) throw error;
    const body = encodeQueryError(error, 'http://monitoring.amazonaws.com/doc/2010-08-01/', 'test');
    return { status: error.status, headers: { 'content-type': 'text/xml' }, body };
  }
};

export const startCloudWatchHttp = async (service: TwinService): Promise<CloudWatchHttp> => {
  const server = createServer((request, response) => {
    readBody(request)
      .then((body) => dispatch(service, request, body))
      .then((answer) => {
        response.writeHead(answer.status, answer.headers);
        response.end(answer.body);
      })
      .catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
