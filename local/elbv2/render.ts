import { renderActions } from './actions';
import type { ListenerState, LoadBalancerState, RuleState, TargetGroupState } from './state';

/** Resources as the Describe and Create operations return them (the API reference's shapes). */

/** The ALB hosted zone id of us-east-1; the twin uses it in every region (Route 53 is not emulated). */
const ALB_HOSTED_ZONE = 'Z35SXDOTRQ7X7K';

/** `provisioning` is what CreateLoadBalancer answers; the twin's load balancer is active from the next call on. */
export const renderLoadBalancer = (lb: LoadBalancerState, state: 'active' | 'provisioning' = 'active') => ({
  LoadBalancerArn: lb.arn,
  DNSName: lb.dnsName,
  CanonicalHostedZoneId: ALB_HOSTED_ZONE,
  CreatedTime: lb.createdAt,
  LoadBalancerName: lb.name,
  Scheme: lb.scheme,
  VpcId: lb.vpcId,
  State: { Code: state },
  Type: 'application',
  AvailabilityZones: lb.zones.map((zone) => ({ ZoneName: zone.zoneName, SubnetId: zone.subnetId })),
  SecurityGroups: [...lb.securityGroups],
  IpAddressType: lb.ipAddressType,
});

export const renderListener = (listener: ListenerState) => ({
  ListenerArn: listener.arn,
  LoadBalancerArn: listener.loadBalancerArn,
  Port: listener.port,
  Protocol: listener.protocol,
  ...(listener.certificates.length > 0
    ? { Certificates: listener.certificates.map((arn) => ({ CertificateArn: arn })) }
    : {}),
  ...(listener.sslPolicy === undefined ? {} : { SslPolicy: listener.sslPolicy }),
  DefaultActions: renderActions(listener.defaultActions),
});

export const renderRule = (rule: RuleState) => ({
  RuleArn: rule.arn,
  Priority: String(rule.priority),
  Conditions: rule.conditions,
  Actions: renderActions(rule.actions),
  IsDefault: false,
});

/** The listener's default actions, as DescribeRules lists them: a rule with priority "default". */
export const renderDefaultRule = (listener: ListenerState) => ({
  RuleArn: listener.defaultRuleArn,
  Priority: 'default',
  Conditions: [],
  Actions: renderActions(listener.defaultActions),
  IsDefault: true,
});

export const renderTargetGroup = (group: TargetGroupState, loadBalancerArns: readonly string[]) => ({
  TargetGroupArn: group.arn,
  TargetGroupName: group.name,
  ...(group.protocol === undefined ? {} : { Protocol: group.protocol }),
  ...(group.port === undefined ? {} : { Port: group.port }),
  ...(group.vpcId === undefined ? {} : { VpcId: group.vpcId }),
  ...group.healthCheck,
  LoadBalancerArns: [...loadBalancerArns],
  TargetType: group.targetType,
  ...(group.protocolVersion === undefined ? {} : { ProtocolVersion: group.protocolVersion }),
  IpAddressType: group.ipAddressType,
});
