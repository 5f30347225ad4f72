import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * moto (a Python AWS emulator) as a reference to compare the twin with. It is installed on the
 * project's machine image, not from npm: tests that use it say how to get it when it is missing.
 */
export interface Moto {
  readonly endpoint: string;
  close(): Promise<void>;
}

export const MOTO_MISSING =
  "moto is not installed: install it with `pip install 'moto[server]'`, or set CLUSTERSHIFT_NO_MOTO=1 to leave the moto comparison out";

export const motoAvailable = (): boolean =>
  spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' }).status === 0;

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

/** Starts `python3 -m moto.server` on a free port and resolves once it answers HTTP. */
export const startMoto = async (timeoutMs = 30_000): Promise<Moto> => {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const close = async (): Promise<void> => {
    child.kill('SIGTERM');
    await exited(child);
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited with ${child.exitCode}: ${stderr}`);
    try {
      await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      return { endpoint, close };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await close();
  throw new Error(`moto did not answer on ${endpoint} within ${timeoutMs} ms: ${stderr}`);
};

/** moto's default VPC in `region` and its subnets (moto checks that a load balancer's subnets exist). */
export const motoDefaultVpc = async (
  endpoint: string,
  region: string,
): Promise<{ vpcId: string; subnetIds: string[] }> => {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      // moto routes a request by the service named in the credential scope; it checks no signature.
      authorization: `AWS4-HMAC-SHA256 Credential=test/20250101/${region}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: 'Action=DescribeSubnets&Version=2016-11-15',
  });
  const xml = await response.text();
  const vpcId = /<vpcId>(vpc-[0-9a-f]+)<\/vpcId>/.exec(xml)?.[1];
  const subnetIds = [...xml.matchAll(/<subnetId>(subnet-[0-9a-f]+)<\/subnetId>/g)].map(
    (match) => match[1] ?? '',
  );
  if (vpcId === undefined || subnetIds.length < 2)
    throw new Error(`moto has no default VPC in ${region}: ${xml.slice(0, 300)}`);
  return { vpcId, subnetIds };
};
