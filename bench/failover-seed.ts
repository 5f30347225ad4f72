/**
 * An ELBv2 seed (local/elbv2/seed.ts format) for the demo load balancer with `routes` forwards: the
 * listener's default action and routes − 1 host rules, each 50/50 over a blue and a green target
 * group of 3 targets. Same load balancer name as the demo, so the demo stack's config matches it.
 */
export const benchSeed = (routes: number) => {
  const services = Array.from(
    { length: Math.max(0, routes - 1) },
    (_, i) => `r${String(i + 1).padStart(3, '0')}`,
  );
  const group = (cluster: string, app: string, subnet: number) => ({
    name: `${cluster}-${app}`,
    port: 8080,
    tags: { 'clustershift:cluster': cluster, app },
    targets: [1, 2, 3].map((host) => ({ id: `10.${subnet >> 8}.${subnet & 255}.${10 + host}` })),
  });
  const apps = ['default', ...services];
  return {
    targetGroups: apps.flatMap((app, i) => [
      group('blue', app, 2 * i + 256),
      group('green', app, 2 * i + 257),
    ]),
    loadBalancers: [
      {
        name: 'demo-public',
        scheme: 'internet-facing',
        listeners: [
          {
            port: 443,
            protocol: 'HTTPS',
            certificateArn:
              'arn:aws:acm:us-east-1:000000000000:certificate/0d2f6a3e-demo-4c1b-9a77-5e0c1e2d3f40',
            defaultForward: { weights: { 'blue-default': 50, 'green-default': 50 } },
            rules: services.map((app, i) => ({
              priority: i + 1,
              hosts: [`${app}.bench.example.com`],
              forward: { weights: { [`blue-${app}`]: 50, [`green-${app}`]: 50 } },
            })),
          },
        ],
      },
    ],
  };
};
