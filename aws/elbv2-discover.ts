import type { ElasticLoadBalancingV2Client, Listener, Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { FleetConfig } from '../core/config';
import type { RouteState, RouteTarget } from '../core/routes';
import { keptTags, type ResourceTags } from '../core/tag-inventory';
import { actionListWeights } from './elbv2-actions';
import { defaultElbv2Client, type Elbv2Options } from './elbv2-client';
import { describeListeners, describeRules, describeTags } from './elbv2-describe';
import { defaultRouteName, ruleName } from './elbv2-names';

/** Tag key prefixes the AWS Load Balancer Controller puts on what it manages (and would revert). */
const CONTROLLER_TAG_PREFIXES = ['elbv2.k8s.aws/', 'ingress.k8s.aws/', 'service.k8s.aws/'];

/** A forward action found on a listener, before target groups are mapped to clusters. */
interface Candidate {
  readonly lbIndex: number;
  readonly listener: Listener;
  readonly rule: Rule;
  readonly weights: Readonly<Record<string, number>>;
}

/** Looks up the tags of resources: from what an earlier discovery kept, else live (DescribeTags). */
type TagLookup = (arns: readonly string[]) => Promise<Map<string, ResourceTags>>;

const isControllerOwned = (tags: ResourceTags | undefined): boolean =>
  Object.keys(tags ?? {}).some((key) => CONTROLLER_TAG_PREFIXES.some((prefix) => key.startsWith(prefix)));

/** Rule priority as a number for sorting; the default rule sorts last. */
const priorityRank = (rule: Rule): number =>
  rule.IsDefault === true ? Number.POSITIVE_INFINITY : Number(rule.Priority ?? Number.POSITIVE_INFINITY);

const compareCandidates = (a: Candidate, b: Candidate): number =>
  a.lbIndex - b.lbIndex ||
  (a.listener.Port ?? 0) - (b.listener.Port ?? 0) ||
  (a.listener.ListenerArn ?? '').localeCompare(b.listener.ListenerArn ?? '') ||
  priorityRank(a.rule) - priorityRank(b.rule);

/**
 * Every rule and default action of the fleet's listeners that forwards somewhere, in route order.
 * Load balancers and their listeners are read concurrently (the ELBv2 pacer keeps the rate within the
 * describe share): read one after another, a fleet spread over many load balancers (AWS allows 100
 * rules per load balancer) would spend a round trip per listener before a failover's first write.
 */
const findForwards = async (
  config: FleetConfig,
  client: ElasticLoadBalancingV2Client,
  options: Elbv2Options,
): Promise<Candidate[]> => {
  const perLoadBalancer = await Promise.all(
    config.loadBalancers.map(async (lb, lbIndex) => {
      const listeners = await describeListeners(
        client,
        { loadBalancerArn: lb.arn, listenerArns: lb.listeners },
        options.retry,
      );
      const perListener = await Promise.all(
        listeners.map(async (listener): Promise<Candidate[]> => {
          if (listener.ListenerArn === undefined) return [];
          const rules = await describeRules(client, listener.ListenerArn, options.retry);
          return rules.flatMap((rule) => {
            const weights = actionListWeights(rule.Actions ?? []);
            return weights === undefined ? [] : [{ lbIndex, listener, rule, weights }];
          });
        }),
      );
      return perListener.flat();
    }),
  );
  return perLoadBalancer.flat().sort(compareCandidates);
};

/**
 * Maps target groups to clusters: a cluster's explicit list wins; target groups listed nowhere belong
 * to the cluster their tag names, if that cluster is configured and lists no target groups itself.
 */
const clusterOwners = async (
  config: FleetConfig,
  targetGroupArns: readonly string[],
  lookupTags: TagLookup,
): Promise<Map<string, string | null>> => {
  const owners = new Map<string, string | null>();
  for (const cluster of config.clusters) {
    for (const arn of cluster.targetGroups ?? []) owners.set(arn, cluster.name);
  }
  const taggable = new Set(config.clusters.filter((c) => c.targetGroups === undefined).map((c) => c.name));
  const unlisted = [...new Set(targetGroupArns)].filter((arn) => !owners.has(arn));
  // Skip DescribeTags entirely when every cluster lists its target groups.
  const tags = taggable.size === 0 ? new Map<string, ResourceTags>() : await lookupTags(unlisted);
  for (const arn of unlisted) {
    const value = tags.get(arn)?.[config.clusterTagKey];
    owners.set(arn, value !== undefined && taggable.has(value) ? value : null);
  }
  return owners;
};

/** Tags kept from an earlier discovery, for {@link discoverRoutesWith}. */
export interface KnownTags {
  /** By resource ARN; a resource not in it is read live. */
  readonly known?: ReadonlyMap<string, ResourceTags>;
}

export interface Discovery {
  readonly routes: RouteState[];
  /** The tags read live (only the kept keys: core/tag-inventory.ts), for the inventory. */
  readonly tagsRead: ReadonlyMap<string, ResourceTags>;
}

/**
 * Finds the routes clustershift manages: every rule or listener default action with a forward action
 * that reaches at least one target group of a configured cluster. Routes of no configured cluster are
 * left out, so nothing downstream can ever write them.
 */
export const discoverRoutes = async (
  config: FleetConfig,
  client: ElasticLoadBalancingV2Client = defaultElbv2Client(),
  options: Elbv2Options = {},
): Promise<RouteState[]> => (await discoverRoutesWith(config, client, options)).routes;

/**
 * {@link discoverRoutes}, taking the tags of the resources in `tags.known` from there (a failover's
 * inventory) and reading the rest live; says which tags it read.
 */
export const discoverRoutesWith = async (
  config: FleetConfig,
  client: ElasticLoadBalancingV2Client = defaultElbv2Client(),
  options: Elbv2Options = {},
  tags: KnownTags = {},
): Promise<Discovery> => {
  const tagsRead = new Map<string, ResourceTags>();
  const lookupTags: TagLookup = async (arns) => {
    const unknown = arns.filter((arn) => !tags.known?.has(arn));
    for (const [arn, read] of await describeTags(client, unknown, options.retry)) {
      tagsRead.set(arn, keptTags(read, config.clusterTagKey, CONTROLLER_TAG_PREFIXES));
    }
    return new Map(arns.map((arn) => [arn, tags.known?.get(arn) ?? tagsRead.get(arn) ?? {}]));
  };
  const candidates = await findForwards(config, client, options);
  const owners = await clusterOwners(
    config,
    candidates.flatMap((candidate) => Object.keys(candidate.weights)),
    lookupTags,
  );
  const managed = candidates.filter((candidate) =>
    Object.keys(candidate.weights).some((arn) => (owners.get(arn) ?? null) !== null),
  );

  // Only managed routes are worth a tag lookup: the rule's tags, or the listener's for a default action.
  // Rules and listeners are asked for in separate batches: one resource type per DescribeTags call.
  const tagged = managed.map(
    (c) => (c.rule.IsDefault === true ? c.listener.ListenerArn : c.rule.RuleArn) ?? '',
  );
  const ruleArns = managed.flatMap((c) =>
    c.rule.IsDefault !== true && c.rule.RuleArn ? [c.rule.RuleArn] : [],
  );
  const listenerArns = managed.flatMap((c) =>
    c.rule.IsDefault === true && c.listener.ListenerArn ? [c.listener.ListenerArn] : [],
  );
  const [ruleTags, listenerTags] = await Promise.all([lookupTags(ruleArns), lookupTags(listenerArns)]);
  const ownership = new Map([...ruleTags, ...listenerTags]);

  const routes = managed.map((candidate, index): RouteState => {
    const isDefault = candidate.rule.IsDefault === true;
    const listenerArn = candidate.listener.ListenerArn ?? '';
    const targets: RouteTarget[] = Object.keys(candidate.weights).map((targetGroupArn) => ({
      targetGroupArn,
      cluster: owners.get(targetGroupArn) ?? null,
    }));
    return {
      id: isDefault ? listenerArn : (candidate.rule.RuleArn ?? ''),
      kind: isDefault ? 'default' : 'rule',
      listenerArn,
      loadBalancerArn:
        candidate.listener.LoadBalancerArn ?? config.loadBalancers[candidate.lbIndex]?.arn ?? '',
      name: isDefault
        ? defaultRouteName(candidate.listener.Port)
        : ruleName(candidate.rule.Conditions ?? [], candidate.rule.Priority),
      targets,
      controllerOwned: isControllerOwned(ownership.get(tagged[index] ?? '')),
      weights: candidate.weights,
    };
  });
  return { routes, tagsRead };
};
