import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { BUNDLE_FILE, bundleFunction } from '../../../infra/bundling/bundle-function';
import {
  dropRegionDescriptions,
  HANDLED_AWS_ERRORS,
  pruneSchemaSource,
  slimPackageJson,
} from '../../../infra/bundling/sdk-pruning';

const ROOT = join(__dirname, '..', '..', '..');
const SDK = join(ROOT, 'node_modules', '@aws-sdk');
const clientSchemas = (): string[] =>
  readdirSync(SDK)
    .filter((name) => name.startsWith('client-'))
    .map((name) => readFileSync(join(SDK, name, 'dist-es', 'schemas', 'schemas_0.js'), 'utf8'));

describe('pruneSchemaSource', () => {
  const source = [
    'const _RNF = "RuleNotFoundException";',
    'const _hE = "httpError";',
    'export var RuleNotFoundException$ = [-3, n0, _RNF, { [_hE]: 400 }, [], []];',
    '_s_registry.registerError(ServiceException$, ServiceException);',
    'n0_registry.registerError(RuleNotFoundException$, RuleNotFoundException);',
    'n0_registry.registerError(ThrottlingException$, ThrottlingException);',
  ].join('\n');

  it('drops the registration of an error we do not handle, keeping handled ones and the base exception', () => {
    // Act
    const pruned = pruneSchemaSource(source, new Set(['ThrottlingException']));

    // Assert
    expect(pruned).not.toContain('registerError(RuleNotFoundException$');
    expect(pruned).toContain('n0_registry.registerError(ThrottlingException$, ThrottlingException);');
    expect(pruned).toContain('_s_registry.registerError(ServiceException$, ServiceException);');
  });

  it('turns computed keys naming a string constant into plain keys, so unused schemas can be dropped', () => {
    // Act
    const pruned = pruneSchemaSource(source, new Set());

    // Assert
    expect(pruned).toContain('{ "httpError": 400 }');
    expect(pruned).not.toContain('[_hE]');
  });

  it('keeps only name and version of a client package.json', () => {
    // Act
    const slim = JSON.parse(
      slimPackageJson('{"name":"@aws-sdk/client-sfn","version":"3.1.0","scripts":{"a":"b"}}'),
    );

    // Assert
    expect(slim).toEqual({ name: '@aws-sdk/client-sfn', version: '3.1.0' });
  });
});

describe('HANDLED_AWS_ERRORS', () => {
  it.each(HANDLED_AWS_ERRORS)(
    '%s is a modelled error of an installed client (no typo keeps nothing)',
    (name) => {
      // Act
      const registered = clientSchemas().some((schema) =>
        schema.includes(`n0_registry.registerError(${name}$, ${name});`),
      );

      // Assert
      expect(registered).toBe(true);
    },
  );

  it('matches the registrations of every installed client (the pattern the plugin rewrites)', () => {
    // Act: registrations left after pruning with nothing kept
    const left = clientSchemas().map(
      (schema) => (pruneSchemaSource(schema, new Set()).match(/n0_registry\.registerError/g) ?? []).length,
    );

    // Assert
    expect(left.every((count) => count === 0)).toBe(true);
    expect(left.length).toBeGreaterThanOrEqual(6);
  });
});

describe('dropRegionDescriptions', () => {
  type Partitions = { partitions: { id: string; regions: Record<string, Record<string, unknown>> }[] };
  const installed = readFileSync(
    join(SDK, 'core', 'dist-es', 'submodules', 'client', 'util-endpoints', 'lib', 'aws', 'partitions.js'),
    'utf8',
  );
  const evaluate = (source: string): Partitions =>
    new Function(`${source.replace('export const partitionsInfo =', 'return')}`)() as Partitions;

  it('empties every region of the installed partitions table and changes nothing else', () => {
    // Prepare: the installed table with the display names taken out by hand
    const expected = evaluate(installed);
    for (const partition of expected.partitions)
      for (const region of Object.values(partition.regions)) delete region.description;

    // Act
    const pruned = dropRegionDescriptions(installed);

    // Assert
    expect(pruned).not.toContain('"description"');
    expect(evaluate(pruned)).toEqual(expected);
    expect(Object.keys(evaluate(pruned).partitions[0]?.regions ?? {})).toContain('eu-west-1');
  });
});

describe('a pruned bundle', () => {
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    // An ELBv2 (awsQuery) and a Step Functions (JSON) endpoint that answer every call with an error
    server = createServer((request, response) => {
      if (request.headers['content-type']?.includes('x-www-form-urlencoded')) {
        response.writeHead(400, { 'content-type': 'text/xml' });
        response.end(
          '<ErrorResponse><Error><Type>Sender</Type><Code>RuleNotFound</Code><Message>One or more rules not found</Message></Error><RequestId>r1</RequestId></ErrorResponse>',
        );
        return;
      }
      response.writeHead(400, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-errortype': 'StateMachineDoesNotExist',
      });
      response.end(
        JSON.stringify({ __type: 'StateMachineDoesNotExist', message: 'State Machine Does Not Exist' }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('still names an error it no longer models by its wire code, with the message', async () => {
    // Prepare: a bundle (as CDK builds it) of a script calling both services through our adapters' naming
    // (inside the project, so that the entry resolves the SDK from its node_modules)
    mkdirSync(join(ROOT, '.clustershift'), { recursive: true });
    const dir = mkdtempSync(join(ROOT, '.clustershift', 'pruned-bundle-'));
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { DescribeRulesCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { awsErrorMessage, awsErrorName } from ${JSON.stringify(join(ROOT, 'aws', 'aws-errors.ts'))};
const config = { endpoint: process.env.ENDPOINT, region: 'eu-west-1', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
const names = [];
for (const call of [
  () => new ElasticLoadBalancingV2Client(config).send(new DescribeRulesCommand({ RuleArns: ['x'] })),
  () => new SFNClient(config).send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:x' })),
]) {
  try { await call(); names.push('no error'); } catch (error) { names.push(awsErrorName(error) + ': ' + awsErrorMessage(error)); }
}
console.log(JSON.stringify(names));
`,
    );
    await bundleFunction(entry, dir);

    // Act (asynchronously: this process serves the endpoint)
    const output = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [join(dir, BUNDLE_FILE)],
        { env: { ...process.env, ENDPOINT: endpoint, AWS_REGION: 'eu-west-1' } },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      ),
    );
    rmSync(dir, { recursive: true, force: true });

    // Assert
    expect(JSON.parse(output)).toEqual([
      'RuleNotFound: One or more rules not found',
      'StateMachineDoesNotExist: State Machine Does Not Exist',
    ]);
  }, 60_000);
});
