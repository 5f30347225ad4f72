import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import {
  accessKeyIdIn,
  accessKeyIdOf,
  currentPrincipal,
  installCredentialRewrite,
  runAs,
} from '../../../local/iam/identity';

const APPLY = { roleArn: 'arn:aws:iam::000000000000:role/apply-step-role', sessionName: 'apply-step' };
const PREPARE = { roleArn: 'arn:aws:iam::000000000000:role/prepare-role', sessionName: 'prepare' };

describe("a principal's own credentials on the SDK's requests", () => {
  let server: Server;
  let client: SFNClient;
  const seen: (string | undefined)[] = [];
  let uninstall: () => void;

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(accessKeyIdIn(req.headers.authorization));
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end('{"stateMachines":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    uninstall = installCredentialRewrite();
    client = new SFNClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'operator-key', secretAccessKey: 'x' },
    });
  });

  afterAll(async () => {
    uninstall();
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    seen.length = 0;
  });

  it("signs a call made inside a principal's store with that principal's access key id, one client for all", async () => {
    await client.send(new ListStateMachinesCommand({}));
    await runAs(APPLY, () => client.send(new ListStateMachinesCommand({})));
    await runAs(PREPARE, async () => {
      // Still the same principal after the awaits and timers a handler goes through.
      await new Promise((resolve) => setTimeout(resolve, 5));
      await client.send(new ListStateMachinesCommand({}));
    });
    expect(seen).toEqual(['operator-key', accessKeyIdOf(APPLY), accessKeyIdOf(PREPARE)]);
    expect(accessKeyIdOf(APPLY)).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(accessKeyIdOf(APPLY)).not.toBe(accessKeyIdOf(PREPARE));
  });

  it('keeps concurrent principals apart, and runs nested work as the innermost one', async () => {
    await Promise.all([
      runAs(APPLY, () => client.send(new ListStateMachinesCommand({}))),
      runAs(PREPARE, () => client.send(new ListStateMachinesCommand({}))),
      runAs(APPLY, () => runAs(undefined, () => client.send(new ListStateMachinesCommand({})))),
    ]);
    expect([...seen].sort()).toEqual([accessKeyIdOf(APPLY), accessKeyIdOf(PREPARE), 'operator-key'].sort());
    expect(runAs(APPLY, () => currentPrincipal())).toEqual(APPLY);
    expect(currentPrincipal()).toBeUndefined();
  });
});
