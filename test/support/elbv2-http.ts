import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TwinClock } from '../../local/clock';
import { Elbv2Twin } from '../../local/elbv2';
import { TwinError } from '../../local/errors';
import { decodeQuery, encodeQueryError, encodeQueryResponse } from '../../local/protocol/query';

/**
 * The ELBv2 twin behind a bare awsQuery endpoint, for conformance tests with the real SDK until the
 * twin's router (local/server.ts) serves it. Only what the router does for ELBv2, nothing else.
 */
const NAMESPACE = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

export interface Elbv2Endpoint {
  readonly endpoint: string;
  readonly twin: Elbv2Twin;
  readonly clock: TwinClock;
  close(): Promise<void>;
}

const answer = (twin: Elbv2Twin, body: string, requestId: string): { status: number; xml: string } => {
  try {
    const request = decodeQuery(body);
    const operation = twin.operations[request.action];
    if (request.version !== '2015-12-01' || operation === undefined) {
      throw new TwinError(
        'InvalidAction',
        `Could not find operation ${request.action} for version ${request.version}`,
      );
    }
    return {
      status: 200,
      xml: encodeQueryResponse(request.action, NAMESPACE, operation(request.input), requestId),
    };
  } catch (error) {
    const twinError =
      error instanceof TwinError ? error : new TwinError('InternalFailure', String(error), 500, 'Receiver');
    return { status: twinError.status, xml: encodeQueryError(twinError, NAMESPACE, requestId) };
  }
};

export const startElbv2Endpoint = async (
  region = 'us-east-1',
  accountId = '000000000000',
): Promise<Elbv2Endpoint> => {
  const clock = new TwinClock(1, () => 1_700_000_000_000);
  const twin = new Elbv2Twin({ clock, region, accountId });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const requestId = randomUUID();
      const { status, xml } = answer(twin, Buffer.concat(chunks).toString('utf8'), requestId);
      res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
      res.end(xml);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    twin,
    clock,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
};
