import fc from 'fast-check';
import { type FleetConfig, validateFleetConfig } from '../../core/config';
import { type ShiftRequest, validateShiftRequest } from '../../core/request';
import type { RouteState } from '../../core/routes';

export const LB =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/main/0123456789abcdef';
export const LISTENER =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/main/0123456789abcdef/1111111111111111';
export const CLUSTERS = ['blue', 'green', 'red'] as const;

export const config = (
  clusters: readonly string[] = ['blue', 'green'],
  extra: Record<string, unknown> = {},
): FleetConfig =>
  validateFleetConfig({
    fleet: 'test',
    region: 'eu-west-1',
    loadBalancers: [{ arn: LB }],
    clusters: clusters.map((name) => ({ name, healthAlarms: [`${name}-5xx`] })),
    gateAlarms: ['fleet-latency'],
    ...extra,
  });

export const request = (cfg: FleetConfig, input: Record<string, unknown>): ShiftRequest =>
  validateShiftRequest({ reason: 'test', requestedBy: 'cli:alice', ...input }, cfg);

export const tg = (service: string, cluster: string) =>
  `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${service}-${cluster}/0123456789abcdef`;

/** A route of one service on the given clusters (weights by cluster). */
export const route = (
  service: string,
  weights: Record<string, number>,
  extra: Partial<RouteState> = {},
): RouteState => ({
  id: `${LISTENER.replace(':listener/', ':listener-rule/')}/${service}`,
  kind: 'rule',
  listenerArn: LISTENER,
  loadBalancerArn: LB,
  name: `${service}.example.com`,
  controllerOwned: false,
  targets: Object.keys(weights).map((cluster) => ({ targetGroupArn: tg(service, cluster), cluster })),
  weights: Object.fromEntries(Object.entries(weights).map(([cluster, w]) => [tg(service, cluster), w])),
  ...extra,
});

/** Routes over 2–3 clusters, each on a random non-empty subset, with weights 0–999. */
export const routesArb = (clusters: readonly string[]) =>
  fc
    .array(
      fc
        .subarray([...clusters], { minLength: 1 })
        .chain((present) =>
          fc
            .tuple(...present.map(() => fc.integer({ min: 0, max: 999 })))
            .map((ws) => Object.fromEntries(present.map((c, i) => [c, ws[i] ?? 0]))),
        ),
      { minLength: 1, maxLength: 6 },
    )
    .map((list) => list.map((weights, i) => route(`svc${i}`, weights)));
