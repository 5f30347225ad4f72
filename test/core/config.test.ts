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
    [
      'a health alarm name starting with white space',
      minimal.replace('- name: blue\n', '- name: blue\n    healthAlarms: ["blue-ok", " blue-5xx"]\n'),
      /clusters\.0\.healthAlarms\.1: alarm name must not start or end with white space or contain line breaks/,
    ],
    [
      'a health alarm name holding a line separator',
      minimal.replace('- name: blue\n', '- name: blue\n    healthAlarms: ["blue\\u20285xx"]\n'),
      /clusters\.0\.healthAlarms\.0: alarm name must not start or end with white space or contain line breaks/,
    ],
    [
      'a gate alarm name ending with a no-break space',
      `${minimal}gateAlarms: ["latency\\u00a0"]\n`,
      /gateAlarms\.0: alarm name must not start or end with white space/,
    ],
    [
      'one alarm as the health alarm of two clusters',
      minimal
        .replace('- name: blue\n', '- name: blue\n    healthAlarms: [shared-5xx]\n')
        .replace('- name: green\n', '- name: green\n    healthAlarms: [green-5xx, shared-5xx]\n'),
      /clusters\.1\.healthAlarms\.1: alarm "shared-5xx" is already a health alarm of cluster "blue": one ALARM event would start a failover of both blue and green/,
    ],
    [
      'a describe share of 0',
      `${minimal}limits:\n  elbv2:\n    describeShare: 0\n`,
      /limits\.elbv2\.describeShare: must be > 0/,
    ],
    [
      'a describe share over 1',
      `${minimal}limits:\n  elbv2:\n    describeShare: 1.5\n`,
      /limits\.elbv2\.describeShare: must be <= 1 \(the whole bucket\)/,
    ],
    [
      'a describe share leaving clustershift less than 2 tokens',
      `${minimal}limits:\n  elbv2:\n    describeShare: 0.04\n`,
      /limits\.elbv2\.describeShare: leaves clustershift 1\.6 of the describe bucket's 40 tokens: it needs at least 2/,
    ],
    [
      'a describe bucket without a refill rate',
      `${minimal}limits:\n  elbv2:\n    describeBucket: { capacity: 80 }\n`,
      /limits\.elbv2\.describeBucket\.refillPerSecond/,
    ],
    [
      'a fractional bucket capacity',
      `${minimal}limits:\n  elbv2:\n    describeBucket: { capacity: 80.5, refillPerSecond: 20 }\n`,
      /limits\.elbv2\.describeBucket\.capacity: must be a whole number of tokens/,
    ],
    ['broken YAML', 'fleet: [prod', /InvalidConfig: invalid fleet config fleet\.yaml: \(yaml\)/],
    ['an empty file', '', /\(root\): the file is empty/],
  ])('refuses %s, naming the field and the file', (_what, text, message) => {
    const result = messageOf(text);
    expect(result).toMatch(/^InvalidConfig: invalid fleet config fleet\.yaml/);
    expect(result).toMatch(message);
  });

  it("spends half of AWS's documented describe bucket by default, and takes a raised bucket and another share", () => {
    expect(parseFleetConfig(minimal, 'fleet.yaml').limits).toEqual({
      elbv2: { describeShare: 0.5, describeBucket: { capacity: 40, refillPerSecond: 10 } },
    });
    const raised = parseFleetConfig(
      `${minimal}limits:\n  elbv2:\n    describeShare: 0.25\n    describeBucket: { capacity: 80, refillPerSecond: 20 }\n`,
      'fleet.yaml',
    );
    expect(raised.limits.elbv2).toEqual({
      describeShare: 0.25,
      describeBucket: { capacity: 80, refillPerSecond: 20 },
    });
  });

  it('accepts alarm names with inner spaces and the same alarm listed twice under one cluster', () => {
    // Prepare
    const text = minimal.replace(
      '- name: blue\n',
      '- name: blue\n    healthAlarms: ["blue 5xx rate", "blue 5xx rate"]\n',
    );

    // Act
    const config = parseFleetConfig(text, 'fleet.yaml');

    // Assert
    expect(config.clusters[0]?.healthAlarms).toEqual(['blue 5xx rate', 'blue 5xx rate']);
  });

  it('refuses a collection used as a key without a Node warning from the YAML parser', () => {
    // Prepare
    const warnings = jest.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      // Act
      const result = messageOf(`${minimal}? [a, b]\n: 1\n`);

      // Assert
      expect(result).toMatch(/^InvalidConfig: invalid fleet config fleet\.yaml: \(root\): .*\[ a, b \]/);
      expect(warnings).not.toHaveBeenCalled();
    } finally {
      warnings.mockRestore();
    }
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
