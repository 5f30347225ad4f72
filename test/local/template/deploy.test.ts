import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { validateFleetConfig } from '../../../core/config';
import { setClockSource } from '../../../functions/shared/clock';
import { EVENT_HANDLER_NAMES, HANDLER_NAMES, pascalCase } from '../../../infra/handlers';
import { TwinClock } from '../../../local/clock';
import { EventBridgeTwin } from '../../../local/events';
import type { LambdaHandler } from '../../../local/lambda/function';
import { LambdaRuntime } from '../../../local/lambda/runtime';
import { StepFunctionsTwin } from '../../../local/sfn';
import { type Deployment, deployPlan } from '../../../local/template/deploy';
import { loadTemplate } from '../../../local/template/load';
import type { DeployPlan } from '../../../local/template/plan';
import { testConfig, WorkflowHarness } from '../../support/workflow';
import { synthTemplate, withFleetConfigAsset } from './synth';

jest.setTimeout(60_000);

/**
 * The synthesized stack of a test fleet, loaded and deployed into the twin, then run: the table in
 * dynalite, the functions in the Lambda runtime (source handlers, matched by logical id), the state
 * machine in the Step Functions twin. ELBv2 and CloudWatch are the workflow harness's fakes.
 */
const harness = new WorkflowHarness();
const clock = new TwinClock(1000);
const lambda = new LambdaRuntime({
  clock,
  loadHandler: async (fn) => {
    const name = [...HANDLER_NAMES, ...EVENT_HANDLER_NAMES].find((handler) =>
      fn.logicalId?.startsWith(`ClusterShift${pascalCase(handler)}Function`),
    );
    if (name === undefined) throw new Error(`no handler for ${fn.logicalId}`);
    return ((await import(`../../../functions/${name}`)) as { handler: LambdaHandler }).handler;
  },
});
const sfn = new StepFunctionsTwin({ clock, region: 'eu-west-1', accountId: '123456789012', lambda });
const events = new EventBridgeTwin({ clock, region: 'eu-west-1', accountId: '123456789012', sfn, lambda });
let dynamodb: DynamoDBClient;
let plan: DeployPlan;
let deployment: Deployment;

beforeAll(async () => {
  await harness.start();
  await harness.reset();
  harness.alb.clock = () => clock.now();
  setClockSource(() => clock.now());
  const config = validateFleetConfig(testConfig());
  const { stackName, template } = synthTemplate(config);
  const loaded = loadTemplate(template, {
    region: 'eu-west-1',
    accountId: '123456789012',
    stackName,
    templateDir: '/tmp',
  });
  plan = withFleetConfigAsset(loaded, config);
  // The harness's dynalite: the SDK clients of the handlers reach it through AWS_ENDPOINT_URL_DYNAMODB too.
  dynamodb = new DynamoDBClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB, region: 'eu-west-1' });
  deployment = await deployPlan(plan, { dynamodb, lambda, sfn, events });
}, 120_000);
afterAll(async () => {
  events.stop();
  sfn.stopAll();
  dynamodb.destroy();
  await harness.stop();
});

describe('deploying the synthesized stack into the twin', () => {
  it('creates the table in DynamoDB with its key schema, and says what dynalite cannot apply', async () => {
    const table = plan.tables[0];

    const described = await dynamodb.send(new DescribeTableCommand({ TableName: table?.name }));

    expect(deployment.tables).toEqual([
      { logicalId: table?.logicalId, name: table?.name, arn: table?.arn, existed: false },
    ]);
    expect(described.Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(deployment.notes).toEqual([
      expect.stringMatching(/TTL on "ttl" not set.*UpdateTimeToLive/),
      expect.stringMatching(/point-in-time recovery not set/),
    ]);
  });

  it('registers every function and creates the state machine the outputs name', async () => {
    expect(
      lambda
        .list()
        .map((fn) => fn.name)
        .sort(),
    ).toEqual(plan.functions.map((fn) => fn.name).sort());
    expect(deployment.functions).toHaveLength(HANDLER_NAMES.length + EVENT_HANDLER_NAMES.length);
    expect(deployment.stateMachines.map((machine) => machine.arn)).toEqual([plan.outputs.StateMachineArn]);
    expect(deployment.outputs).toEqual(plan.outputs);
    expect(deployment.ignored.length).toBeGreaterThan(0);
    await expect(
      sfn.operations.DescribeStateMachine?.({ stateMachineArn: plan.outputs.StateMachineArn }),
    ).resolves.toMatchObject({
      definition: plan.stateMachines[0]?.definition,
    });
  });

  it('drains blue with what ships: the template’s definition, environment, table and config file', async () => {
    const rule = harness.addService('api.example.com', { blue: 50, green: 50 });
    const input = JSON.parse(
      readFileSync(join(__dirname, '../../../events/drain-blue.json'), 'utf8'),
    ) as object;
    // Only the config file in the function's code folder: nothing inline for the handlers to fall back on.
    delete process.env.FLEET_CONFIG;

    // Act
    const started = (await sfn.operations.StartExecution?.({
      stateMachineArn: plan.outputs.StateMachineArn,
      input: JSON.stringify(input),
    })) as { executionArn: string };
    const done = await sfn.whenDone(started.executionArn);

    // Assert
    expect(done).toMatchObject({ status: 'SUCCEEDED' });
    expect(harness.clusterWeights(rule)).toEqual({ blue: 0, green: 100 });
    expect(process.env.TABLE_NAME).toBe(plan.tables[0]?.name);
    expect(process.env.LAMBDA_TASK_ROOT).toBe(plan.functions[0]?.codeDir);
  });

  it('deploys again over itself: the table and its items stay, the state machine keeps its ARN', async () => {
    const again = await deployPlan(plan, { dynamodb, lambda, sfn, events });

    expect(again.tables.map((table) => table.existed)).toEqual([true]);
    expect(again.stateMachines).toEqual(deployment.stateMachines);
  });
});
