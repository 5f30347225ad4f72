import {
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ModifyRuleCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Twin } from '../../local/server';
import { clientConfig, DEMO_LB, ELBV2_VERSION, FORM, raw, startSeededTwin } from './server-fixtures';

describe('the twin throttles ELBv2 as AWS documents it, for every caller', () => {
  let twin: Twin & { restoreEnv(): void };
  let elbv2: ElasticLoadBalancingV2Client;

  beforeEach(async () => {
    // A small describe bucket that barely refills: the test spends it in a few calls.
    twin = await startSeededTwin({
      apiLimits: { elbv2: { describe: { capacity: 3, refillPerSecond: 0.001 } } },
    });
    elbv2 = new ElasticLoadBalancingV2Client(clientConfig(twin.endpoint));
  });

  afterEach(async () => {
    elbv2.destroy();
    await twin.close();
    twin.restoreEnv();
  });

  it('answers the SDK with Throttling / Rate exceeded once the describe bucket is empty', async () => {
    const describe = () => elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: DEMO_LB }));
    await describe();
    await describe();
    await describe();

    await expect(describe()).rejects.toMatchObject({
      name: 'Throttling',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('answers in ELBv2 XML with the Sender fault, as AWS does', async () => {
    const body = `Action=DescribeTargetGroups&${ELBV2_VERSION}`;
    for (let i = 0; i < 3; i += 1) await raw(twin.endpoint, { headers: FORM, body });

    const answer = await raw(twin.endpoint, { headers: FORM, body });

    expect(answer.status).toBe(400);
    expect(answer.text).toContain('<Type>Sender</Type>');
    expect(answer.text).toContain('<Code>Throttling</Code>');
    expect(answer.text).toContain('<Message>Rate exceeded</Message>');
  });

  it('spends the same bucket for the simulated Load Balancer Controllers as for API callers', async () => {
    twin.startLbControllers({ clusters: ['blue'], describesPerSecond: 50, registrationsPerSecond: 0 });
    await new Promise((resolve) => setTimeout(resolve, 150));

    await expect(
      elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: DEMO_LB })),
    ).rejects.toMatchObject({
      name: 'Throttling',
    });
    const [blue] = twin.lbControllerStats();
    expect(blue?.describesThrottled).toBeGreaterThan(0);
  });

  it('does not let a throttled write change anything', async () => {
    const rule = twin.elbv2.routes().find((route) => route.ruleArn !== undefined);
    if (rule?.ruleArn === undefined) throw new Error('the demo seed has no listener rule');
    const before = twin.elbv2.weightLog().length;
    spendEveryMutatingToken(twin);

    await expect(
      elbv2.send(
        new ModifyRuleCommand({
          RuleArn: rule.ruleArn,
          Actions: [
            {
              Type: 'forward',
              ForwardConfig: {
                TargetGroups: rule.targetGroups.map((group, index) => ({
                  TargetGroupArn: group.arn,
                  Weight: index === 0 ? 1 : 0,
                })),
              },
            },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'Throttling' });
    expect(twin.elbv2.weightLog().length).toBe(before);
  });
});

/** Empties the mutating bucket from outside the API, as a busy account would. */
const spendEveryMutatingToken = (twin: Twin): void => {
  while (twin.throttle.tryElbv2('ModifyRule', 'background')) {}
};
