import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  type ElasticLoadBalancingV2Client,
  type Listener,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { chunk, mapBounded } from './bounded';
import { elbv2ReadRetry } from './elbv2-pacing';
import { type RetryOptions, withReadRetry } from './retry';

/** DescribeTags calls in flight at once. */
const TAG_CALLS_IN_FLIGHT = 4;

/** DescribeTags accepts at most 20 resource ARNs per call. */
const TAGS_PER_CALL = 20;
/** The largest page DescribeRules allows: one call per listener for almost every fleet. */
const RULES_PAGE_SIZE = 400;

/** Every listener of a load balancer, or just the listed ones, all pages. */
export const describeListeners = async (
  client: ElasticLoadBalancingV2Client,
  target: { loadBalancerArn: string; listenerArns?: readonly string[] | undefined },
  retry?: RetryOptions,
): Promise<Listener[]> => {
  const listeners: Listener[] = [];
  let marker: string | undefined;
  do {
    const input =
      target.listenerArns === undefined
        ? { LoadBalancerArn: target.loadBalancerArn, Marker: marker }
        : { ListenerArns: [...target.listenerArns], Marker: marker };
    const page = await withReadRetry(
      'DescribeListeners',
      () => client.send(new DescribeListenersCommand(input)),
      elbv2ReadRetry(retry),
    );
    listeners.push(...(page.Listeners ?? []));
    marker = page.NextMarker;
  } while (marker);
  return listeners;
};

/** Every rule of a listener, the default rule included (its actions are the listener's default actions). */
export const describeRules = async (
  client: ElasticLoadBalancingV2Client,
  listenerArn: string,
  retry?: RetryOptions,
): Promise<Rule[]> => {
  const rules: Rule[] = [];
  let marker: string | undefined;
  do {
    const input = { ListenerArn: listenerArn, PageSize: RULES_PAGE_SIZE, Marker: marker };
    const page = await withReadRetry(
      'DescribeRules',
      () => client.send(new DescribeRulesCommand(input)),
      elbv2ReadRetry(retry),
    );
    rules.push(...(page.Rules ?? []));
    marker = page.NextMarker;
  } while (marker);
  return rules;
};

/** Tags per resource ARN (every ARN asked for appears, with {} when it has none). */
export const describeTags = async (
  client: ElasticLoadBalancingV2Client,
  arns: readonly string[],
  retry?: RetryOptions,
): Promise<Map<string, Record<string, string>>> => {
  const tags = new Map<string, Record<string, string>>();
  const unique = [...new Set(arns)];
  for (const arn of unique) tags.set(arn, {});
  // A few batches at once: hundreds of target groups are tens of calls, each a round trip.
  const pages = await mapBounded(chunk(unique, TAGS_PER_CALL), TAG_CALLS_IN_FLIGHT, (batch) =>
    withReadRetry(
      'DescribeTags',
      () => client.send(new DescribeTagsCommand({ ResourceArns: batch })),
      elbv2ReadRetry(retry),
    ),
  );
  for (const page of pages) {
    for (const description of page.TagDescriptions ?? []) {
      if (description.ResourceArn === undefined) continue;
      const byKey: Record<string, string> = {};
      for (const tag of description.Tags ?? []) if (tag.Key !== undefined) byKey[tag.Key] = tag.Value ?? '';
      tags.set(description.ResourceArn, byKey);
    }
  }
  return tags;
};
