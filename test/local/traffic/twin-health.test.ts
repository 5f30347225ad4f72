import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { readTargetHealthWith } from '../../../aws/target-health';
import type { Twin } from '../../../local/server';
import { clientConfig, startSeededTwin } from '../server-fixtures';

/**
 * The whole twin (seeded at start, as `clustershift local` and the benches start it) answering the
 * product's health read: CloudWatch first, DescribeTargetHealth only where no fresh datapoint. Issue
 * 15: a Prepare whose metric window ended before the twin's first health query (a large fleet's
 * discovery takes over a minute) found no datapoint at all and read 1,000 target groups live.
 */
describe('target health read from the twin’s CloudWatch', () => {
  let twin: Twin & { restoreEnv(): void };
  let clients: { elbv2: ElasticLoadBalancingV2Client; cloudwatch: CloudWatchClient };

  beforeEach(async () => {
    twin = await startSeededTwin();
    clients = {
      elbv2: new ElasticLoadBalancingV2Client(clientConfig(twin.endpoint)),
      cloudwatch: new CloudWatchClient(clientConfig(twin.endpoint)),
    };
  });

  afterEach(async () => {
    clients.elbv2.destroy();
    clients.cloudwatch.destroy();
    await twin.close();
    twin.restoreEnv();
  });

  it('has a fresh datapoint for every attached target group from the seed on, so nothing is read live', async () => {
    // Prepare: a Prepare starts, then spends 90 twin seconds discovering before it reads health.
    const startedAt = twin.clock.date();
    twin.clock.advance(90_000);
    const targets = twin.elbv2.routes().flatMap((route) =>
      route.targetGroups.map((group) => ({
        targetGroupArn: group.arn,
        loadBalancerArn: route.loadBalancerArn,
      })),
    );
    const groups = new Set(targets.map((target) => target.targetGroupArn));

    // Act
    const read = await readTargetHealthWith(targets, startedAt, clients);

    // Assert
    expect(groups.size).toBeGreaterThan(1);
    expect(read.withoutFreshDatapoint).toBe(0);
    expect([...read.health.keys()].sort()).toEqual([...groups].sort());
    expect([...read.health.values()].every((health) => health.source === 'cloudwatch')).toBe(true);
    expect(twin.throttle.operationStats()['elbv2:DescribeTargetHealth']).toBeUndefined();
  });
});
