import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApp } from '../../infra/build-app';
import { chooseConfigPath, loadFleetConfigFile } from '../../infra/config-file';
import { fleetAccount } from '../../infra/elb-arns';
import { ClusterShiftStack, stackNameFor } from '../../infra/stack';
import { FIXTURES, fixtureProps, fleet, LB_ARN, REPO_ROOT, testApp } from './helpers';

describe('choosing the fleet config file', () => {
  it('prefers -c config=…, then CLUSTERSHIFT_CONFIG, then clustershift.yaml', () => {
    expect(chooseConfigPath('a.yaml', 'b.yaml')).toEqual({ path: 'a.yaml', source: 'context' });
    expect(chooseConfigPath(undefined, 'b.yaml')).toEqual({ path: 'b.yaml', source: 'environment' });
    expect(chooseConfigPath('', '  ')).toEqual({ path: 'clustershift.yaml', source: 'default' });
  });
});

describe('loading the fleet config file', () => {
  it('reads and validates a good file', () => {
    // Act
    const config = loadFleetConfigFile({ path: 'fleet.yaml', source: 'context' }, FIXTURES);

    // Assert
    expect(config).toEqual(fleet());
  });

  it('fails on a missing file saying how to point at one and where the example is', () => {
    // Act
    const load = () => loadFleetConfigFile({ path: 'clustershift.yaml', source: 'default' }, FIXTURES);

    // Assert
    expect(load).toThrow(`fleet config not found: ${join(FIXTURES, 'clustershift.yaml')}`);
    expect(load).toThrow(
      /-c config=path\/to\/fleet\.yaml.*CLUSTERSHIFT_CONFIG=.*clustershift\.example\.yaml/,
    );
  });

  it('fails on an invalid file naming the file and the field', () => {
    expect(() => loadFleetConfigFile({ path: 'bad-fleet.yaml', source: 'environment' }, FIXTURES)).toThrow(
      /invalid fleet config bad-fleet\.yaml: region: must be an AWS region/,
    );
  });
});

describe('the app', () => {
  it('names the stack ClusterShift-<fleet> and deploys to the fleet region and load balancer account', () => {
    // Act
    const stack = buildApp(testApp(), fleet(), { clusterShift: fixtureProps() });

    // Assert
    expect(stack.stackName).toBe('ClusterShift-demo');
    expect(stackNameFor(fleet())).toBe('ClusterShift-demo');
    expect(stack.region).toBe('eu-west-1');
    expect(stack.account).toBe('123456789012');
  });

  it('refuses a fleet whose load balancers are in two accounts', () => {
    // Prepare
    const other =
      'arn:aws:elasticloadbalancing:eu-west-1:210987654321:loadbalancer/app/main/0123456789abcdef';
    const config = fleet({ loadBalancers: [{ arn: LB_ARN }, { arn: other }] });

    // Act + Assert
    expect(() => fleetAccount(config)).toThrow(/2 accounts \(123456789012, 210987654321\)/);
    expect(() => new ClusterShiftStack(testApp(), 'Test', { config, clusterShift: fixtureProps() })).toThrow(
      /one fleet covers the load balancers of one account/,
    );
  });
});

describe('the CDK entry point (infra/app.ts)', () => {
  // The real entry, as `cdk synth` runs it: it fails before any bundling, so it is quick.
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, 'infra', 'app.ts')], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'clustershift-cdk-')), ...env },
      timeout: 60_000,
    });

  it('fails on a missing config given with -c config=…, saying how to fix it', () => {
    // Act
    const result = run({ CDK_CONTEXT_JSON: JSON.stringify({ config: 'no/such/fleet.yaml' }) });

    // Assert
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`fleet config not found: ${resolve(REPO_ROOT, 'no/such/fleet.yaml')}`);
    expect(result.stderr).toContain('given with -c config=');
    expect(result.stderr).toContain('clustershift.example.yaml');
  });

  it('fails on an invalid config named by CLUSTERSHIFT_CONFIG, naming the field', () => {
    // Act
    const result = run({ CLUSTERSHIFT_CONFIG: 'test/infra/fixtures/bad-fleet.yaml', CDK_CONTEXT_JSON: '{}' });

    // Assert
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/invalid fleet config test\/infra\/fixtures\/bad-fleet\.yaml: region:/);
  });
});
