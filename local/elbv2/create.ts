import { TwinError } from '../errors';
import { ALB_RULES_PER_LOAD_BALANCER, ALB_TARGET_GROUPS_PER_LOAD_BALANCER } from '../limits';
import { optionalBoolean, optionalString, requiredString } from '../protocol/scalars';
import type { TwinInput } from '../service';
import { parseActions } from './actions';
import { parseConditions } from './conditions';
import { constraint, tooManyRules, tooManyUniqueTargetGroups, validation } from './errors';
import { boundedString, intInRange, list, oneOf, optionalStruct, stringList, struct } from './input';
import { renderListener, renderLoadBalancer, renderRule, renderTargetGroup } from './render';
import {
  type Elbv2State,
  forwardOf,
  type ListenerState,
  type StoredAction,
  type TargetGroupState,
} from './state';
import { applyTags, parseTags } from './tags';

/** Names of load balancers and target groups: 1–32 letters, digits and hyphens, no hyphen at either end. */
const checkName = (name: string, what: 'load balancer' | 'target group'): void => {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(name)) {
    throw validation(
      `${what === 'load balancer' ? 'Load balancer' : 'Target group'} name '${name.slice(0, 64)}' must be 1-32 characters of letters, digits and hyphens, and must not begin or end with a hyphen`,
    );
  }
  if (what === 'load balancer' && name.startsWith('internal-')) {
    throw validation(`Load balancer name '${name}' cannot begin with 'internal-'`);
  }
};

const subnetsOf = (state: Elbv2State, input: TwinInput, name: string) => {
  const subnets = stringList(input.Subnets, 'subnets') ?? [];
  const mappings = (list(input.SubnetMappings, 'subnetMappings') ?? []).map((item, index) =>
    requiredString(
      struct(item, `subnetMappings.${index + 1}.member`).SubnetId,
      `subnetMappings.${index + 1}.member.subnetId`,
    ),
  );
  if (subnets.length > 0 && mappings.length > 0) {
    throw validation('You can specify subnets or subnet mappings, not both');
  }
  // The twin has no EC2: any subnet id is accepted, and none at all gets two made-up ones.
  const ids = [...subnets, ...mappings];
  if (ids.length === 1) {
    throw validation('At least two subnets in two different Availability Zones must be specified');
  }
  const chosen =
    ids.length > 0
      ? ids
      : [
          `subnet-${state.newId(['subnet-a', name]).slice(0, 8)}`,
          `subnet-${state.newId(['subnet-b', name]).slice(0, 8)}`,
        ];
  return chosen.map((subnetId, index) => ({
    subnetId,
    zoneName: `${state.region}${String.fromCharCode(97 + (index % 6))}`,
  }));
};

export const createLoadBalancer = (state: Elbv2State, input: TwinInput, now: Date) => {
  const name = requiredString(input.Name, 'name');
  checkName(name, 'load balancer');
  const type = oneOf(input.Type, 'type', ['application', 'network', 'gateway']) ?? 'application';
  if (type !== 'application') {
    throw new TwinError(
      'InvalidConfigurationRequest',
      `The twin emulates Application Load Balancers only, not '${type}'`,
    );
  }
  const scheme = oneOf(input.Scheme, 'scheme', ['internet-facing', 'internal']) ?? 'internet-facing';
  const ipAddressType =
    oneOf(input.IpAddressType, 'ipAddressType', ['ipv4', 'dualstack', 'dualstack-without-public-ipv4']) ??
    'ipv4';
  const securityGroups = stringList(input.SecurityGroups, 'securityGroups') ?? [];
  const tags = parseTags(input.Tags);
  const existing = [...state.loadBalancers.values()].find((lb) => lb.name === name);
  if (existing !== undefined) {
    // CreateLoadBalancer is idempotent: the same name and settings answer with the existing one.
    if (existing.scheme !== scheme) {
      throw new TwinError('DuplicateLoadBalancerName', 'A load balancer with the same name already exists');
    }
    return { LoadBalancers: [renderLoadBalancer(existing)] };
  }
  const zones = subnetsOf(state, input, name);
  const id = state.newId(['loadbalancer', name]);
  const arn = state.arns.loadBalancer(name, id);
  const lb = {
    arn,
    name,
    scheme,
    ipAddressType,
    vpcId: `vpc-${id.slice(0, 8)}`,
    zones,
    securityGroups,
    createdAt: now,
    dnsName: `${scheme === 'internal' ? 'internal-' : ''}${name}-${Number.parseInt(id.slice(0, 8), 16)}.${state.region}.elb.amazonaws.com`,
    tags: new Map<string, string>(),
  };
  applyTags(lb.tags, tags);
  state.addLoadBalancer(lb);
  return { LoadBalancers: [renderLoadBalancer(lb, 'provisioning')] };
};

const PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE', 'QUIC', 'TCP_QUIC'] as const;

/** Health-check settings with AWS's defaults for an HTTP(S) target group. */
const healthCheckOf = (input: TwinInput, protocol: string | undefined): Record<string, unknown> => {
  const matcher = optionalStruct(input.Matcher, 'matcher');
  return {
    HealthCheckProtocol:
      oneOf(input.HealthCheckProtocol, 'healthCheckProtocol', PROTOCOLS) ?? protocol ?? 'HTTP',
    HealthCheckPort: optionalString(input.HealthCheckPort, 'healthCheckPort') ?? 'traffic-port',
    HealthCheckEnabled: optionalBoolean(input.HealthCheckEnabled, 'healthCheckEnabled') ?? true,
    HealthCheckIntervalSeconds:
      intInRange(input.HealthCheckIntervalSeconds, 'healthCheckIntervalSeconds', 5, 300) ?? 30,
    HealthCheckTimeoutSeconds:
      intInRange(input.HealthCheckTimeoutSeconds, 'healthCheckTimeoutSeconds', 2, 120) ?? 5,
    HealthyThresholdCount: intInRange(input.HealthyThresholdCount, 'healthyThresholdCount', 2, 10) ?? 5,
    UnhealthyThresholdCount: intInRange(input.UnhealthyThresholdCount, 'unhealthyThresholdCount', 2, 10) ?? 2,
    HealthCheckPath: boundedString(input.HealthCheckPath, 'healthCheckPath', 1, 1024) ?? '/',
    Matcher: { HttpCode: optionalString(matcher?.HttpCode, 'matcher.httpCode') ?? '200' },
  };
};

export const createTargetGroup = (state: Elbv2State, input: TwinInput) => {
  const name = requiredString(input.Name, 'name');
  checkName(name, 'target group');
  const targetType = oneOf(input.TargetType, 'targetType', ['instance', 'ip', 'lambda', 'alb']) ?? 'instance';
  const protocol = oneOf(input.Protocol, 'protocol', PROTOCOLS);
  const port = intInRange(input.Port, 'port', 1, 65_535);
  const vpcId = optionalString(input.VpcId, 'vpcId');
  if (targetType !== 'lambda') {
    if (protocol === undefined) throw validation('A protocol must be specified');
    if (port === undefined) throw validation('A port must be specified');
    if (vpcId === undefined) throw validation('A VPC ID must be specified');
  }
  const tags = parseTags(input.Tags);
  const existing = [...state.targetGroups.values()].find((group) => group.name === name);
  if (existing !== undefined) {
    // Idempotent like CreateLoadBalancer: same name and settings answer with the existing one.
    if (existing.protocol !== protocol || existing.port !== port || existing.vpcId !== vpcId) {
      throw new TwinError(
        'DuplicateTargetGroupName',
        'A target group with the same name exists, but with different settings',
      );
    }
    return { TargetGroups: [renderTargetGroup(existing, state.loadBalancersOf(existing.arn))] };
  }
  const group: TargetGroupState = {
    arn: state.arns.targetGroup(name, state.newId(['targetgroup', name])),
    name,
    targetType,
    protocol,
    port,
    vpcId,
    protocolVersion:
      protocol === 'HTTP' || protocol === 'HTTPS'
        ? (oneOf(input.ProtocolVersion, 'protocolVersion', ['HTTP1', 'HTTP2', 'GRPC']) ?? 'HTTP1')
        : undefined,
    ipAddressType: oneOf(input.IpAddressType, 'ipAddressType', ['ipv4', 'ipv6']) ?? 'ipv4',
    healthCheck: healthCheckOf(input, protocol),
    tags: new Map(),
    targets: [],
  };
  applyTags(group.tags, tags);
  state.addTargetGroup(group);
  return { TargetGroups: [renderTargetGroup(group, [])] };
};

/**
 * Refuses `actions` for a new listener or rule, or for the listener or rule `replacing` names (with
 * the actions it has now), when the load balancer would then forward to more distinct target groups
 * than AWS allows (local/limits.ts). A change that forwards to no target group the listener or rule
 * did not already forward to (a weight change) cannot raise the count, and is not counted.
 */
export const checkTargetGroupQuota = (
  state: Elbv2State,
  loadBalancerArn: string,
  actions: readonly StoredAction[],
  replacing?: { readonly arn: string; readonly actions: readonly StoredAction[] },
): void => {
  const added = forwardOf(actions)?.TargetGroups ?? [];
  if (added.length === 0) return;
  if (replacing !== undefined) {
    const before = new Set((forwardOf(replacing.actions)?.TargetGroups ?? []).map((t) => t.TargetGroupArn));
    if (added.every((tuple) => before.has(tuple.TargetGroupArn))) return;
  }
  const count = state.targetGroupsOfLoadBalancerWith(loadBalancerArn, replacing?.arn, actions).size;
  if (count > ALB_TARGET_GROUPS_PER_LOAD_BALANCER) throw tooManyUniqueTargetGroups(loadBalancerArn, count);
};

/** HTTPS listeners need a certificate; ALB listeners speak HTTP or HTTPS. */
export const listenerSettings = (
  input: TwinInput,
  current?: ListenerState,
): { protocol: string; port: number; certificates: string[]; sslPolicy: string | undefined } => {
  const protocol = oneOf(input.Protocol, 'protocol', PROTOCOLS) ?? current?.protocol;
  const port = intInRange(input.Port, 'port', 1, 65_535) ?? current?.port;
  if (protocol === undefined) throw validation('A listener protocol must be specified');
  if (port === undefined) throw validation('A listener port must be specified');
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') {
    throw validation(`Listener protocol '${protocol}' must be one of 'HTTPS, HTTP'`);
  }
  const given = list(input.Certificates, 'certificates')?.map((item, index) =>
    requiredString(
      struct(item, `certificates.${index + 1}.member`).CertificateArn,
      `certificates.${index + 1}.member.certificateArn`,
    ),
  );
  const certificates = protocol === 'HTTPS' ? (given ?? current?.certificates ?? []) : [];
  if (protocol === 'HTTPS' && certificates.length === 0) {
    throw new TwinError('CertificateNotFound', 'A certificate must be specified for HTTPS listeners');
  }
  const sslPolicy =
    protocol === 'HTTPS'
      ? (optionalString(input.SslPolicy, 'sslPolicy') ??
        current?.sslPolicy ??
        'ELBSecurityPolicy-TLS13-1-2-2021-06')
      : undefined;
  return { protocol, port, certificates, sslPolicy };
};

export const createListener = (state: Elbv2State, input: TwinInput) => {
  const lb = state.loadBalancer(requiredString(input.LoadBalancerArn, 'loadBalancerArn'));
  const settings = listenerSettings(input);
  const tags = parseTags(input.Tags);
  if (state.listenersOf(lb.arn).some((listener) => listener.port === settings.port)) {
    throw new TwinError('DuplicateListener', 'A listener with the specified port already exists');
  }
  const defaultActions = parseActions(input.DefaultActions, {
    state,
    loadBalancerArn: lb.arn,
    path: 'defaultActions',
  });
  checkTargetGroupQuota(state, lb.arn, defaultActions);
  const arn = state.arns.listener(lb.arn, state.newId(['listener', lb.arn, settings.port]));
  const listener: ListenerState = {
    arn,
    loadBalancerArn: lb.arn,
    ...settings,
    defaultActions,
    defaultRuleArn: state.arns.rule(arn, state.newId(['default-rule', arn])),
    tags: new Map(),
  };
  applyTags(listener.tags, tags);
  state.addListener(listener);
  return { Listeners: [renderListener(listener)] };
};

export const createRule = (state: Elbv2State, input: TwinInput) => {
  const listener = state.listener(requiredString(input.ListenerArn, 'listenerArn'));
  if (input.Conditions === undefined) throw constraint('conditions', 'null', 'not be null');
  const conditions = parseConditions(input.Conditions);
  const priority = intInRange(input.Priority, 'priority', 1, 50_000);
  if (priority === undefined) throw constraint('priority', 'null', 'not be null');
  const tags = parseTags(input.Tags);
  if (state.rulesOf(listener.arn).some((rule) => rule.priority === priority)) {
    throw new TwinError('PriorityInUse', `Priority '${priority}' is currently in use`);
  }
  const rules = state
    .listenersOf(listener.loadBalancerArn)
    .reduce((total, each) => total + state.rulesOf(each.arn).length, 0);
  if (rules >= ALB_RULES_PER_LOAD_BALANCER) throw tooManyRules(listener.loadBalancerArn);
  const actions = parseActions(input.Actions, {
    state,
    loadBalancerArn: listener.loadBalancerArn,
    path: 'actions',
  });
  checkTargetGroupQuota(state, listener.loadBalancerArn, actions);
  const rule = {
    arn: state.arns.rule(listener.arn, state.newId(['rule', listener.arn, priority])),
    listenerArn: listener.arn,
    priority,
    conditions,
    actions,
    tags: new Map<string, string>(),
  };
  applyTags(rule.tags, tags);
  state.addRule(rule);
  return { Rules: [renderRule(rule)] };
};
