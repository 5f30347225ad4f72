import type { FleetConfig } from '../core/config';

/** The parts of an Application Load Balancer ARN that IAM resource patterns are built from. */
export interface LoadBalancerArnParts {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** `<lb-name>/<lb-id>`, as it appears after `loadbalancer/app/`, `listener/app/` and `listener-rule/app/`. */
  readonly nameAndId: string;
}

const LB_ARN =
  /^arn:(aws[a-z-]*):elasticloadbalancing:([a-z0-9-]+):(\d{12}):loadbalancer\/app\/([A-Za-z0-9-]+\/[a-f0-9]+)$/;
const LISTENER_ARN =
  /^arn:(aws[a-z-]*):elasticloadbalancing:([a-z0-9-]+):(\d{12}):listener\/app\/([A-Za-z0-9-]+\/[a-f0-9]+)\/([a-f0-9]+)$/;

export const parseLoadBalancerArn = (arn: string): LoadBalancerArnParts => {
  const match = LB_ARN.exec(arn);
  if (!match) throw new Error(`not an Application Load Balancer ARN: ${arn}`);
  const [, partition = '', region = '', account = '', nameAndId = ''] = match;
  return { partition, region, account, nameAndId };
};

/** The listener id (last path segment) of a listener ARN that belongs to the given load balancer. */
export const listenerIdOf = (listenerArn: string, lb: LoadBalancerArnParts): string => {
  const match = LISTENER_ARN.exec(listenerArn);
  if (!match || match[4] !== lb.nameAndId || match[3] !== lb.account || match[2] !== lb.region) {
    throw new Error(`listener ${listenerArn} does not belong to load balancer app/${lb.nameAndId}`);
  }
  return match[5] ?? '';
};

/** Resource patterns for `elasticloadbalancing:ModifyRule` and `elasticloadbalancing:ModifyListener`. */
export interface ModifyResources {
  readonly listenerRules: string[];
  readonly listeners: string[];
}

/**
 * The narrowest ARN patterns that still let clustershift rewrite every route of the configured load
 * balancers: all listeners of a load balancer, or only the listeners it lists.
 */
export const modifyResourcesFor = (config: Pick<FleetConfig, 'loadBalancers'>): ModifyResources => {
  const listenerRules: string[] = [];
  const listeners: string[] = [];
  for (const lb of config.loadBalancers) {
    const parts = parseLoadBalancerArn(lb.arn);
    const prefix = `arn:${parts.partition}:elasticloadbalancing:${parts.region}:${parts.account}`;
    if (lb.listeners === undefined) {
      listeners.push(`${prefix}:listener/app/${parts.nameAndId}/*`);
      listenerRules.push(`${prefix}:listener-rule/app/${parts.nameAndId}/*`);
    } else {
      for (const listenerArn of lb.listeners) {
        const listenerId = listenerIdOf(listenerArn, parts);
        listeners.push(`${prefix}:listener/app/${parts.nameAndId}/${listenerId}`);
        listenerRules.push(`${prefix}:listener-rule/app/${parts.nameAndId}/${listenerId}/*`);
      }
    }
  }
  return { listenerRules: [...new Set(listenerRules)], listeners: [...new Set(listeners)] };
};

/** The one account every configured load balancer lives in (a fleet deploys to that account). */
export const fleetAccount = (config: Pick<FleetConfig, 'loadBalancers'>): string => {
  const accounts = [...new Set(config.loadBalancers.map((lb) => parseLoadBalancerArn(lb.arn).account))];
  if (accounts.length !== 1) {
    throw new Error(
      `the fleet's load balancers are in ${accounts.length} accounts (${accounts.join(', ')}); ` +
        'clustershift writes listener rules with its own role, so one fleet covers the load balancers of one account',
    );
  }
  return accounts[0] ?? '';
};
