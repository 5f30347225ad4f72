import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parse as parseYaml } from 'yaml';
import { type FleetConfig, validateFleetConfig } from '../../core/config';
import type { ClusterShiftProps } from '../../infra/cluster-shift';
import { ClusterShiftStack } from '../../infra/stack';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const FIXTURES = resolve(__dirname, 'fixtures');
export const FIXTURE_ASL = resolve(FIXTURES, 'shift.asl.json');
export const FIXTURE_FUNCTIONS = resolve(FIXTURES, 'functions');
export const FIXTURE_FLEET = resolve(FIXTURES, 'fleet.yaml');

export const LB_ARN =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/main/0123456789abcdef';
export const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:clustershift-demo';

/** The fixture fleet as plain YAML data, to be changed by a test and validated with {@link fleet}. */
export const fleetInput = (): Record<string, unknown> =>
  parseYaml(readFileSync(FIXTURE_FLEET, 'utf8')) as Record<string, unknown>;

/** A validated fleet config: the fixture, with top-level fields replaced by `overrides`. */
export const fleet = (overrides: Record<string, unknown> = {}): FleetConfig =>
  validateFleetConfig({ ...fleetInput(), ...overrides }, 'test fleet');

/** The context from cdk.json (feature flags), so tests synthesize what `cdk synth` does. */
export const cdkContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(resolve(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> })
    .context;

/** An app with the cdk.json context that skips bundling (the handlers need not compile for infra tests). */
export const testApp = (): App => new App({ context: { ...cdkContext(), 'aws:cdk:bundling-stacks': [] } });

/** Construct props that point at the fixture handlers and workflow. */
export const fixtureProps = (
  props: Partial<Omit<ClusterShiftProps, 'config'>> = {},
): Omit<ClusterShiftProps, 'config'> => ({
  definitionPath: FIXTURE_ASL,
  functionsDir: FIXTURE_FUNCTIONS,
  ...props,
});

export interface Synthesized {
  readonly app: App;
  readonly stack: ClusterShiftStack;
  readonly template: Template;
}

export const synthFleet = (
  config: FleetConfig = fleet(),
  props: Partial<Omit<ClusterShiftProps, 'config'>> = {},
): Synthesized => {
  const app = testApp();
  const stack = new ClusterShiftStack(app, 'Test', { config, clusterShift: fixtureProps(props) });
  return { app, stack, template: Template.fromStack(stack) };
};

export type CfnValue = unknown;
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, CfnValue>;
}

export const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
