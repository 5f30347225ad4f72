import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { describeTargetHealth } from '../../aws/elbv2';
import { awsError, BLUE, GREEN, tg } from './elbv2-fixtures';

const targets = (...states: string[]) => ({
  TargetHealthDescriptions: states.map((State, i) => ({
    Target: { Id: `10.0.0.${i}`, Port: 8080 },
    TargetHealth: { State: State as 'healthy' },
  })),
});

describe('describeTargetHealth', () => {
  it('counts healthy targets, and every target but draining ones as the total', async () => {
    // Prepare
    const client = new ElasticLoadBalancingV2Client({ region: 'eu-west-1' });
    const mock = mockClient(client);
    mock
      .on(DescribeTargetHealthCommand, { TargetGroupArn: BLUE })
      .resolves(targets('healthy', 'healthy', 'draining', 'unhealthy'));
    mock.on(DescribeTargetHealthCommand, { TargetGroupArn: GREEN }).resolves(targets());

    // Act
    const health = await describeTargetHealth([BLUE, GREEN, BLUE], client);

    // Assert
    expect([...health]).toEqual([
      [BLUE, { healthy: 2, total: 3 }],
      [GREEN, { healthy: 0, total: 0 }],
    ]);
    expect(mock.commandCalls(DescribeTargetHealthCommand)).toHaveLength(2);
  });

  it('names the target group when it does not exist (AwsCallFailed)', async () => {
    const client = new ElasticLoadBalancingV2Client({ region: 'eu-west-1' });
    mockClient(client)
      .on(DescribeTargetHealthCommand)
      .rejects(awsError('TargetGroupNotFound', 'One or more target groups not found'));

    const error = await describeTargetHealth([BLUE], client).catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'AwsCallFailed',
      details: { awsError: 'TargetGroupNotFound', targetGroupArn: BLUE },
    });
    expect((error as Error).message).toContain(BLUE);
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    const client = new ElasticLoadBalancingV2Client({ region: 'eu-west-1' });
    let inFlight = 0;
    let peak = 0;
    mockClient(client)
      .on(DescribeTargetHealthCommand)
      .callsFake(async () => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        return targets('healthy');
      });

    const health = await describeTargetHealth(
      Array.from({ length: 20 }, (_, i) => tg(`t${i}`)),
      client,
      { concurrency: 8 },
    );

    expect(health.size).toBe(20);
    expect(peak).toBe(8);
  });
});
