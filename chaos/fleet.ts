import { join } from 'node:path';

/**
 * The chaos fleet: one ALB, three clusters (blue, green, purple), six routes shaped like a real
 * fleet's: on all three, on two of them, and one service on blue only (which a drain of blue must
 * hold). Short bakes, so one run takes about a second at the chaos time scale.
 */
export const CHAOS_CONFIG_FILE = join(__dirname, 'clustershift.chaos.yaml');
export const CHAOS_LOAD_BALANCER = 'chaos-public';
export const CLUSTERS = ['blue', 'green', 'purple'] as const;
export type ChaosCluster = (typeof CLUSTERS)[number];

/** Route name → weight per cluster at the start of every run. */
export const INITIAL_WEIGHTS: Readonly<Record<string, Partial<Record<ChaosCluster, number>>>> = {
  default: { blue: 40, green: 40, purple: 20 },
  'svc-a.chaos.example.com': { blue: 50, green: 50 },
  'svc-b.chaos.example.com': { blue: 70, green: 30 },
  'svc-c.chaos.example.com': { blue: 1, green: 1, purple: 1 },
  'svc-d.chaos.example.com': { green: 100, purple: 100 },
  'solo.chaos.example.com': { blue: 10 },
};

export const healthAlarmOf = (cluster: string): string => `chaos-${cluster}-5xx`;
export const GATE_ALARM = 'chaos-alb-5xx';

const appOf = (route: string): string => (route === 'default' ? 'default' : (route.split('.')[0] ?? route));
export const targetGroupName = (cluster: string, route: string): string => `${cluster}-${appOf(route)}`;

/** The ELBv2 seed (local/elbv2/seed.ts format) of the chaos fleet. */
export const chaosSeed = () => {
  const routes = Object.entries(INITIAL_WEIGHTS);
  const forward = (weights: Partial<Record<ChaosCluster, number>>, route: string) => ({
    weights: Object.fromEntries(
      Object.entries(weights).map(([cluster, weight]) => [targetGroupName(cluster, route), weight]),
    ),
  });
  let subnet = 0;
  return {
    targetGroups: routes.flatMap(([route, weights]) =>
      Object.keys(weights).map((cluster) => {
        subnet += 1;
        return {
          name: targetGroupName(cluster, route),
          port: 8080,
          tags: { 'clustershift:cluster': cluster, app: appOf(route) },
          targets: [1, 2, 3].map((host) => ({ id: `10.9.${subnet}.${10 + host}` })),
        };
      }),
    ),
    loadBalancers: [
      {
        name: CHAOS_LOAD_BALANCER,
        scheme: 'internet-facing',
        listeners: [
          {
            port: 443,
            protocol: 'HTTPS',
            certificateArn:
              'arn:aws:acm:us-east-1:000000000000:certificate/0d2f6a3e-demo-4c1b-9a77-5e0c1e2d3f40',
            defaultForward: forward(INITIAL_WEIGHTS.default ?? {}, 'default'),
            rules: routes
              .filter(([route]) => route !== 'default')
              .map(([route, weights], i) => ({
                priority: i + 1,
                hosts: [route],
                forward: forward(weights, route),
              })),
          },
        ],
      },
    ],
  };
};
