import { createHash } from 'node:crypto';
import { TwinError } from '../errors';
import { partitionOf } from '../partition';

/**
 * ELBv2 ARNs in AWS's exact formats. Ids are 16 hex digits like AWS's, but derived from names
 * (a load balancer's name, a listener's port, a rule's priority) instead of drawn at random, so a
 * seeded fleet has the same ARNs on every start and a config file can name them.
 */
export type ResourceKind = 'loadbalancer' | 'listener' | 'listener-rule' | 'targetgroup';

export const KIND_LABEL: Record<ResourceKind, string> = {
  loadbalancer: 'load balancer',
  listener: 'listener',
  'listener-rule': 'rule',
  targetgroup: 'target group',
};

const NAME = '[A-Za-z0-9-]{1,32}';
const ID = '[a-f0-9]{16}';
const PREFIX = 'arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}';

const PATTERNS: Record<ResourceKind, RegExp> = {
  loadbalancer: new RegExp(`^${PREFIX}:loadbalancer/app/${NAME}/${ID}$`),
  listener: new RegExp(`^${PREFIX}:listener/app/${NAME}/${ID}/${ID}$`),
  'listener-rule': new RegExp(`^${PREFIX}:listener-rule/app/${NAME}/${ID}/${ID}/${ID}$`),
  targetgroup: new RegExp(`^${PREFIX}:targetgroup/${NAME}/${ID}$`),
};

/** 16 hex digits from the given parts; `salt` is bumped on the (unlikely) collision. */
export const stableId = (parts: readonly (string | number)[], salt = 0): string =>
  createHash('sha256')
    .update([...parts, salt].join('\u0000'))
    .digest('hex')
    .slice(0, 16);

export class ArnFactory {
  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  private get prefix(): string {
    return `arn:${partitionOf(this.region)}:elasticloadbalancing:${this.region}:${this.accountId}`;
  }

  loadBalancer(name: string, id: string): string {
    return `${this.prefix}:loadbalancer/app/${name}/${id}`;
  }

  targetGroup(name: string, id: string): string {
    return `${this.prefix}:targetgroup/${name}/${id}`;
  }

  /** The load balancer part (`app/NAME/ID`) of a load balancer ARN. */
  static lbPath(loadBalancerArn: string): string {
    return loadBalancerArn.slice(loadBalancerArn.indexOf(':loadbalancer/') + ':loadbalancer/'.length);
  }

  listener(loadBalancerArn: string, id: string): string {
    return `${this.prefix}:listener/${ArnFactory.lbPath(loadBalancerArn)}/${id}`;
  }

  rule(listenerArn: string, id: string): string {
    return `${listenerArn.replace(':listener/', ':listener-rule/')}/${id}`;
  }
}

export const kindOf = (arn: string): ResourceKind | undefined =>
  (Object.keys(PATTERNS) as ResourceKind[]).find((kind) => PATTERNS[kind].test(arn));

/** AWS answers a malformed ARN with a ValidationError naming it, before looking anything up. */
export const requireArnOf = (kind: ResourceKind, arn: string): string => {
  if (!PATTERNS[kind].test(arn)) {
    throw new TwinError('ValidationError', `'${arn.slice(0, 300)}' is not a valid ${KIND_LABEL[kind]} ARN`);
  }
  return arn;
};
