import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetConfigJsonSchema } from '../../core/config-json-schema';
import { parseFleetConfig } from '../../core/config-yaml';

const lb = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/main/0123456789abcdef';
const minimal = `fleet: prod\nregion: eu-west-1\nloadBalancers:\n  - arn: ${lb}\nclusters:\n  - name: blue\n  - name: green\n`;

const messageOf = (text: string) => {
  try {
    parseFleetConfig(text, 'fleet.yaml');
    return 'accepted';
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
};

describe('parseFleetConfig', () => {
  it('applies the documented defaults', () => {
    const config = parseFleetConfig(minimal, 'fleet.yaml');
    expect(config.drain).toEqual({ steps: [0.25, 0.5, 0.75, 1], bakeSeconds: 300, checkIntervalSeconds: 30 });
    expect(config.failover).toMatchObject({
      steps: [1],
      cooldownSeconds: 900,
      autoRestore: { enabled: false },
    });
    expect(config.clusterTagKey).toBe('clustershift:cluster');
    expect(config.onFailure).toBe('rollback');
  });

  it.each([
    ['a bad region', minimal.replace('eu-west-1', 'europe'), /region: must be an AWS region/],
    ['a duplicate cluster', `${minimal}  - name: blue\n`, /clusters\.2\.name: duplicate cluster "blue"/],
    [
      'a network load balancer',
      minimal.replace('/app/main/', '/net/main/'),
      /loadBalancers\.0\.arn: must be an Application Load Balancer ARN/,
    ],
    ['an unknown key', `${minimal}drian: {}\n`, /drian/],
    [
      'steps out of order',
      `${minimal}drain:\n  steps: [0.5, 0.2, 1]\n`,
      /drain\.steps: steps must be strictly increasing/,
    ],
    [
      'a load balancer in another region',
      minimal.replace(':eu-west-1:123', ':us-east-1:123'),
      /loadBalancers\.0\.arn: load balancer is not in the fleet's region/,
    ],
    ['broken YAML', 'fleet: [prod', /InvalidConfig: invalid fleet config fleet\.yaml: \(yaml\)/],
    ['an empty file', '', /\(root\): the file is empty/],
  ])('refuses %s, naming the field and the file', (_what, text, message) => {
    const result = messageOf(text);
    expect(result).toMatch(/^InvalidConfig: invalid fleet config fleet\.yaml/);
    expect(result).toMatch(message);
  });

  it('accepts the shipped example', () => {
    const text = readFileSync(join(__dirname, '../../clustershift.example.yaml'), 'utf8');
    expect(parseFleetConfig(text, 'clustershift.example.yaml').clusters.map((c) => c.name)).toEqual([
      'blue',
      'green',
    ]);
  });

  it('matches the committed JSON Schema (run `npm run schema` after changing the config)', () => {
    const committed = JSON.parse(
      readFileSync(join(__dirname, '../../schema/clustershift.schema.json'), 'utf8'),
    );
    expect(committed).toEqual(JSON.parse(JSON.stringify(fleetConfigJsonSchema())));
  });
});
