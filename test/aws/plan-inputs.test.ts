import { readPlanInputs } from '../../aws/plan-inputs';
import { validateFleetConfig } from '../../core/config';
import { validateShiftRequest } from '../../core/request';
import { tgArn } from '../support/fake-alb';
import { testConfig, WorkflowHarness } from '../support/workflow';

jest.setTimeout(30_000);

/** The in-process harness provides the fake ALB and CloudWatch behind the SDK clients, and the store. */
const harness = new WorkflowHarness();
const config = validateFleetConfig(testConfig());
const failoverBlue = {
  action: 'failover',
  cluster: 'blue',
  reason: 'blue sick',
  requestedBy: 'alarm:blue-5xx',
};

beforeAll(async () => {
  await harness.start();
});
afterAll(async () => {
  await harness.stop();
});
beforeEach(async () => {
  await harness.reset();
});

describe('readPlanInputs', () => {
  it('for a failover, reads the candidates’ health and the sick cluster’s recent requests per minute in one GetMetricData round', async () => {
    // Prepare: each route serves 600 requests a minute, split by weight.
    harness.addService('api.example.com', { blue: 50, green: 50 });
    harness.addService('web.example.com', { blue: 25, green: 75 });
    harness.addService('docs.example.com', { blue: 0, green: 100 });
    const request = validateShiftRequest(failoverBlue, config);

    // Act
    const inputs = await readPlanInputs(config, request, await harness.store(), new Date(harness.virtualNow));

    // Assert
    expect(inputs.recentRequests).toEqual(
      new Map([
        [tgArn('api-blue'), 300],
        [tgArn('web-blue'), 150],
        [tgArn('docs-blue'), 0],
      ]),
    );
    expect(inputs.health?.get(tgArn('api-green'))).toMatchObject({
      healthy: 3,
      total: 3,
      source: 'cloudwatch',
    });
    expect(inputs.health?.has(tgArn('api-blue'))).toBe(false);
    expect(harness.cloudwatch.calls.filter((c) => c === 'GetMetricData')).toHaveLength(1);
    expect(harness.alb.calls).not.toContain('DescribeTargetHealth');
  });

  it('reads no health and no recent requests before planning a drain', async () => {
    harness.addService('api.example.com', { blue: 50, green: 50 });
    const request = validateShiftRequest(
      { action: 'drain', cluster: 'blue', reason: 'upgrade', requestedBy: 'cli:alice' },
      config,
    );

    const inputs = await readPlanInputs(config, request, await harness.store(), new Date(harness.virtualNow));

    expect(inputs.health).toBeUndefined();
    expect(inputs.recentRequests).toBeUndefined();
    expect(harness.cloudwatch.calls).not.toContain('GetMetricData');
  });
});
