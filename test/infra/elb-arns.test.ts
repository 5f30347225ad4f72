import { listenerIdOf, modifyResourcesFor, parseLoadBalancerArn } from '../../infra/elb-arns';
import { LB_ARN } from './helpers';

describe('load balancer ARNs', () => {
  it('splits an ALB ARN into partition, region, account and name/id', () => {
    expect(parseLoadBalancerArn(LB_ARN)).toEqual({
      partition: 'aws',
      region: 'eu-west-1',
      account: '123456789012',
      nameAndId: 'main/0123456789abcdef',
    });
    expect(
      parseLoadBalancerArn('arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/x/0a')
        .partition,
    ).toBe('aws-cn');
  });

  it('rejects a Network Load Balancer and a listener of another load balancer', () => {
    // Prepare
    const lb = parseLoadBalancerArn(LB_ARN);

    // Act + Assert
    expect(() =>
      parseLoadBalancerArn(
        'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/main/0123456789abcdef',
      ),
    ).toThrow(/not an Application Load Balancer ARN/);
    expect(() =>
      listenerIdOf(
        'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/other/0123456789abcdef/ab12',
        lb,
      ),
    ).toThrow(/does not belong to load balancer app\/main\/0123456789abcdef/);
  });

  it('builds partition-aware patterns, without duplicates', () => {
    // Prepare
    const arn = 'arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:loadbalancer/app/gov/00ff';

    // Act
    const resources = modifyResourcesFor({ loadBalancers: [{ arn }, { arn }] });

    // Assert
    expect(resources).toEqual({
      listenerRules: [
        'arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:listener-rule/app/gov/00ff/*',
      ],
      listeners: ['arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:listener/app/gov/00ff/*'],
    });
  });
});
