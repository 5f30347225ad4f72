import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FleetConfig } from '../../core/config';
import { validateShiftRequest } from '../../core/request';
import { loadFleetConfigFile } from '../../infra/config-file';
import { stateMachineNameFor } from '../../infra/handlers';
import { type InputTransformer, transformInput } from '../../local/events/input-transformer';
import { compileEventPattern, matchesEventPattern } from '../../local/events/pattern';
import { REPO_ROOT, synthFleet } from './helpers';

/**
 * The acceptance test of the alarm trigger: the rule patterns and input transformers exactly as
 * synthesized, fed every sample event in events/, through the twin's EventBridge matcher and input
 * transformer; the resulting input must pass the workflow's own request validation.
 */

const EVENTS_DIR = resolve(REPO_ROOT, 'events');
const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';

interface SynthesizedRule {
  readonly name: string;
  readonly arn: string;
  readonly pattern: unknown;
  readonly transformer: InputTransformer | undefined;
}

/** Replaces the one reference a rule pattern holds, the workflow's `Ref`, with its deployed ARN. */
const resolveRefs = (value: unknown, refs: Record<string, string>): unknown => {
  if (Array.isArray(value)) return value.map((item) => resolveRefs(item, refs));
  if (value === null || typeof value !== 'object') return value;
  const { Ref: ref } = value as { Ref?: unknown };
  if (typeof ref === 'string') {
    const resolved = refs[ref];
    if (resolved === undefined) throw new Error(`unexpected Ref ${ref} in a rule`);
    return resolved;
  }
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, resolveRefs(child, refs)]));
};

const synthesizedRules = (config: FleetConfig): SynthesizedRule[] => {
  const { template } = synthFleet(config);
  const [workflowId] = Object.keys(template.findResources('AWS::StepFunctions::StateMachine'));
  const refs = {
    [workflowId ?? '']:
      `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${stateMachineNameFor(config.fleet)}`,
  };
  return Object.values(template.findResources('AWS::Events::Rule')).map((resource) => {
    const props = resolveRefs(resource.Properties, refs) as {
      Name: string;
      EventPattern: unknown;
      Targets: { InputTransformer?: InputTransformer }[];
    };
    return {
      name: props.Name,
      arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/${props.Name}`,
      pattern: props.EventPattern,
      transformer: props.Targets[0]?.InputTransformer,
    };
  });
};

const sampleEvents = (): Record<string, unknown> =>
  Object.fromEntries(
    readdirSync(EVENTS_DIR)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => [file, JSON.parse(readFileSync(resolve(EVENTS_DIR, file), 'utf8'))]),
  );

const transform = (rule: SynthesizedRule, event: unknown): unknown => {
  if (rule.transformer === undefined) throw new Error(`rule ${rule.name} has no input transformer`);
  const text = transformInput(rule.transformer, event, {
    ruleArn: rule.arn,
    ruleName: rule.name,
    ingestionTime: new Date('2025-03-04T10:15:43Z'),
  });
  return JSON.parse(text);
};

describe('the synthesized rules, fed the sample events in events/', () => {
  let config: FleetConfig;
  let rules: SynthesizedRule[];
  let events: Record<string, unknown>;
  beforeAll(() => {
    config = loadFleetConfigFile({
      path: resolve(REPO_ROOT, 'clustershift.example.yaml'),
      source: 'context',
    });
    rules = synthesizedRules(config);
    events = sampleEvents();
  });

  const matchingRules = (event: unknown): string[] =>
    rules.filter((rule) => matchesEventPattern(compileEventPattern(rule.pattern), event)).map((r) => r.name);

  it('start a failover only for ALARM of a configured health alarm, on the rule of its own cluster', () => {
    // Prepare: every sample file not listed here must match no rule at all
    const expected: Record<string, string[]> = {
      'alarm-metric-ok-to-alarm.json': ['ClusterShift-prod-eu-failover-blue'],
      'alarm-composite-ok-to-alarm.json': ['ClusterShift-prod-eu-failover-green'],
      'execution-failed.json': ['ClusterShift-prod-eu-execution-ended'],
      'execution-aborted.json': ['ClusterShift-prod-eu-execution-ended'],
      'execution-timed-out.json': ['ClusterShift-prod-eu-execution-ended'],
    };

    // Act
    const matched = Object.fromEntries(
      Object.entries(events).map(([file, event]) => [file, matchingRules(event)]),
    );

    // Assert
    expect(Object.keys(events)).toEqual(expect.arrayContaining(Object.keys(expected)));
    expect(matched).toEqual(
      Object.fromEntries(Object.keys(events).map((file) => [file, expected[file] ?? []])),
    );
  });

  it('ignore ALARM→OK, INSUFFICIENT_DATA, an unconfigured alarm and a succeeded execution (named so a rename is noticed)', () => {
    for (const file of [
      'alarm-alarm-to-ok.json',
      'alarm-insufficient-data.json',
      'alarm-unconfigured.json',
      'execution-succeeded.json',
    ]) {
      expect(events[file]).toBeDefined();
      expect({ file, rules: matchingRules(events[file]) }).toEqual({ file, rules: [] });
    }
  });

  it.each([
    ['alarm-metric-ok-to-alarm.json', 'blue', 'eks-blue-5xx-rate'],
    ['alarm-composite-ok-to-alarm.json', 'green', 'eks-green-nodes-not-ready'],
  ])('turn %s into a valid failover request of %s', (file, cluster, alarm) => {
    // Prepare
    const event = events[file] as { time: string; detail: { state: { reason: string } } };
    const rule = rules.find((r) => r.name === `ClusterShift-prod-eu-failover-${cluster}`);
    if (rule === undefined) throw new Error(`no failover rule for ${cluster}`);

    // Act
    const request = validateShiftRequest(transform(rule, event), config);

    // Assert
    expect(request).toMatchObject({
      action: 'failover',
      cluster,
      reason: `${alarm} is ALARM`,
      requestedBy: `alarm:${alarm}`,
      dryRun: false,
      trigger: {
        alarmName: alarm,
        alarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${alarm}`,
        stateReason: event.detail.state.reason,
        time: event.time,
      },
    });
  });

  it('keeps the input valid JSON and a valid request when the state reason holds quotes, backslashes and newlines', () => {
    // Prepare
    const rule = rules.find((r) => r.name === 'ClusterShift-prod-eu-failover-blue');
    if (rule === undefined) throw new Error('no failover rule for blue');
    const event = structuredClone(events['alarm-metric-ok-to-alarm.json']) as {
      detail: { state: { reason: string } };
    };
    const hostile = `Threshold "crossed" by C:\\path\\to\n<detail-alarmName> ${'x'.repeat(1_100)}`;
    event.detail.state.reason = hostile;

    // Act
    const request = validateShiftRequest(transform(rule, event), config);

    // Assert
    expect(request.reason).toBe('eks-blue-5xx-rate is ALARM');
    expect(
      request.trigger?.stateReason?.startsWith('Threshold "crossed" by C:\\path\\to\n<detail-alarmName>'),
    ).toBe(true);
  });
});
