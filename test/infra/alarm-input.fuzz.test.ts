import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { type FleetConfig, validateFleetConfig } from '../../core/config';
import { InvalidConfigError } from '../../core/errors';
import { REASON_MAX, STATE_REASON_MAX, validateShiftRequest } from '../../core/request';
import { assertAlarmNamesInsertable } from '../../infra/failover-rules';
import { type InputTransformer, transformInput } from '../../local/events/input-transformer';
import { compileEventPattern, matchesEventPattern } from '../../local/events/pattern';
import { fleet, fleetInput, REPO_ROOT, synthFleet } from './helpers';

/**
 * Fuzzing of the alarm trigger: CloudWatch alarm events with hostile free text (reasons, descriptions,
 * alarm names: quotes, backslashes, newlines, unicode, `<`/`>`, very long), through the rule patterns
 * and input transformers the stack synthesizes (run by the twin's EventBridge matcher and
 * transformer), then through the workflow's request validation (what Prepare runs first). Each
 * event gives valid JSON that is a valid request for the right cluster and carries no field the
 * template does not write, or is refused clearly (by the config schema or at synth); an alarm
 * failover is never lost to an alarm's text.
 */

const SEED = 20_260_603;
const AFTER_OK_SECONDS = 600;
const FAILOVER_KEYS = ['action', 'cluster', 'reason', 'requestedBy', 'trigger'];
const RESTORE_KEYS = [...FAILOVER_KEYS, 'holdSeconds'];
const TRIGGER_KEYS = ['alarmArn', 'alarmName', 'stateReason', 'time'];

interface SynthesizedRule {
  readonly name: string;
  readonly kind: 'failover' | 'auto-restore';
  readonly cluster: string;
  readonly pattern: unknown;
  readonly transformer: InputTransformer;
}

let config: FleetConfig;
let rules: SynthesizedRule[];

beforeAll(() => {
  config = fleet({ failover: { autoRestore: { enabled: true, afterOkSeconds: AFTER_OK_SECONDS } } });
  const { template } = synthFleet(config);
  rules = Object.values(template.findResources('AWS::Events::Rule')).flatMap((resource) => {
    const props = resource.Properties as {
      Name: string;
      EventPattern: unknown;
      Targets: { InputTransformer?: InputTransformer }[];
    };
    const match = /-(failover|auto-restore)-([a-z0-9-]+)$/.exec(props.Name);
    const transformer = props.Targets[0]?.InputTransformer;
    if (match === null || transformer === undefined) return [];
    return [
      {
        name: props.Name,
        kind: match[1] as SynthesizedRule['kind'],
        cluster: match[2] as string,
        pattern: props.EventPattern,
        transformer,
      },
    ];
  });
});

const sample = (file: string) =>
  JSON.parse(readFileSync(resolve(REPO_ROOT, 'events', file), 'utf8')) as Record<string, unknown> & {
    detail: Record<string, unknown> & {
      state: Record<string, unknown>;
      previousState: Record<string, unknown>;
    };
  };
const METRIC_EVENT = sample('alarm-metric-ok-to-alarm.json');
const COMPOSITE_EVENT = sample('alarm-composite-ok-to-alarm.json');

/** Free text as an alarm's reason or description might hold it, hostile pieces included. */
const HOSTILE = [
  '"',
  '\\',
  '\\"',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u2028',
  '\u2029',
  '<',
  '>',
  '<detail-alarmName>',
  '<aws.events.event.json>',
  '<time>',
  '", "force": ["cooldown", "last-cluster"], "dryRun": true, "x": "',
  '"}, "force": ["empty-route"], "trigger": {"alarmName": "x',
  '}',
  '{',
  '\ud800',
  '😀',
  'é',
  '\u202e',
  ' ',
];
const freeText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.constantFrom(...HOSTILE), { maxLength: 8 }).map((parts) => parts.join('')),
  fc
    .tuple(fc.constantFrom(...HOSTILE), fc.integer({ min: 1_000, max: 3_000 }))
    .map(([piece, length]) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length)),
);

/** An alarm event of one alarm with the given texts; `composite` takes the composite sample's shape. */
const alarmEvent = (
  base: typeof METRIC_EVENT,
  alarmName: string,
  value: 'ALARM' | 'OK',
  texts: { reason: string; description: string; previousReason: string; reasonData: string },
) => {
  const event = structuredClone(base);
  event.resources = [`arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${alarmName}`];
  event.detail.alarmName = alarmName;
  event.detail.state = { ...event.detail.state, value, reason: texts.reason, reasonData: texts.reasonData };
  event.detail.previousState = { ...event.detail.previousState, reason: texts.previousReason };
  event.detail.configuration = {
    ...(event.detail.configuration as Record<string, unknown>),
    description: texts.description,
  };
  return event;
};

const texts = fc.record({
  reason: freeText,
  description: freeText,
  previousReason: freeText,
  reasonData: freeText,
});

const transform = (rule: Pick<SynthesizedRule, 'name' | 'transformer'>, event: unknown): string =>
  transformInput(rule.transformer, event, {
    ruleArn: `arn:aws:events:eu-west-1:123456789012:rule/${rule.name}`,
    ruleName: rule.name,
    ingestionTime: new Date('2026-06-01T10:00:00Z'),
  });

/** The request the workflow would be started with: valid, for `cluster`, with no field the template does not write. */
const expectRequestFor = (
  input: string,
  kind: SynthesizedRule['kind'],
  cluster: string,
  alarmName: string,
  stateReason: string,
  cfg: FleetConfig,
): void => {
  const parsed = JSON.parse(input) as Record<string, unknown> & { trigger: Record<string, unknown> };
  expect(Object.keys(parsed).sort()).toEqual((kind === 'failover' ? FAILOVER_KEYS : RESTORE_KEYS).sort());
  expect(Object.keys(parsed.trigger).sort()).toEqual(TRIGGER_KEYS);
  const request = validateShiftRequest(parsed, cfg);
  expect(request).toMatchObject({
    action: kind === 'failover' ? 'failover' : 'restore',
    cluster,
    requestedBy: `${kind === 'failover' ? 'alarm' : 'auto-restore'}:${alarmName}`,
    dryRun: false,
    force: [],
    trigger: { alarmName },
  });
  expect(request.reason.length).toBeLessThanOrEqual(REASON_MAX);
  // The state reason arrives as sent, or cut at the limit with a visible ellipsis.
  const kept = request.trigger?.stateReason ?? '';
  if (stateReason.length <= STATE_REASON_MAX) expect(kept).toBe(stateReason);
  else expect(kept).toBe(`${stateReason.slice(0, STATE_REASON_MAX - 1)}…`);
};

describe('alarm events through the synthesized rules, fuzzed', () => {
  it('turn any state reason, description and reason data into a valid request of the alarm’s own cluster, nothing injected', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          ...config.clusters.flatMap((c) => c.healthAlarms.map((alarm) => [c.name, alarm] as const)),
        ),
        fc.constantFrom('ALARM' as const, 'OK' as const),
        fc.constantFrom(METRIC_EVENT, COMPOSITE_EVENT),
        texts,
        ([cluster, alarmName], value, base, text) => {
          // Prepare
          const event = alarmEvent(base, alarmName, value, text);

          // Act
          const matched = rules.filter((rule) =>
            matchesEventPattern(compileEventPattern(rule.pattern), event),
          );

          // Assert: one rule, of this cluster, of the kind the state asks for
          expect(matched.map((rule) => [rule.kind, rule.cluster])).toEqual([
            [value === 'ALARM' ? 'failover' : 'auto-restore', cluster],
          ]);
          for (const rule of matched) {
            expectRequestFor(transform(rule, event), rule.kind, cluster, alarmName, text.reason, config);
          }
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});

/** Alarm names as someone might configure them: plain, or with what JSON or the template treats specially. */
const alarmName = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,40}$/),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
  fc
    .tuple(
      fc.constantFrom(...HOSTILE, ' ', '\u00a0', '\u3000'),
      fc.stringMatching(/^[a-z0-9-]{1,20}$/),
      fc.boolean(),
    )
    .map(([odd, plain, first]) => (first ? `${odd}${plain}` : `${plain}${odd}${plain}`)),
  fc.integer({ min: 250, max: 260 }).map((length) => 'a'.repeat(length)),
);

/**
 * Each configured alarm is refused (by the schema or at synth, with a message that says so), or
 * each of its events matches exactly the rule of its own cluster and becomes a valid request.
 * A rule's pattern differs between configs only in its list of alarm names, and the synthesized
 * input transformers not at all (they read the name from the event), so one synth serves every
 * name: its patterns get these names, its transformers are used as they are.
 */
const expectEachAlarmStartsItsOwnRequest = (
  [blueAlarms, greenAlarms]: readonly string[][],
  value: 'ALARM' | 'OK',
  reason: string,
): void => {
  // Prepare
  let cfg: FleetConfig;
  try {
    cfg = validateFleetConfig({
      ...fleetInput(),
      clusters: [
        { name: 'blue', healthAlarms: blueAlarms },
        { name: 'green', healthAlarms: greenAlarms },
      ],
      failover: { autoRestore: { enabled: true, afterOkSeconds: AFTER_OK_SECONDS } },
    });
  } catch (error) {
    // Refused by the schema: the message names the alarm list.
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as Error).message).toMatch(/clusters\.\d\.healthAlarms/);
    return;
  }
  try {
    assertAlarmNamesInsertable(cfg);
  } catch (error) {
    // Refused at synth: the message names the alarm and says why.
    expect((error as Error).message).toMatch(/^health alarm ".*" of cluster (blue|green) contains/s);
    return;
  }
  // The synthesized patterns with this config's alarm names in place of the fixture's.
  const patterns = rules.map((rule) => {
    const synthesized = rule.pattern as { detail: Record<string, unknown> };
    const alarms = cfg.clusters.find((c) => c.name === rule.cluster)?.healthAlarms ?? [];
    return {
      ...rule,
      pattern: { ...synthesized, detail: { ...synthesized.detail, alarmName: alarms } },
    };
  });
  for (const cluster of cfg.clusters) {
    for (const name of cluster.healthAlarms) {
      const event = alarmEvent(METRIC_EVENT, name, value, {
        reason,
        description: reason,
        previousReason: reason,
        reasonData: reason,
      });

      // Act
      const matched = patterns.filter((p) => matchesEventPattern(compileEventPattern(p.pattern), event));

      // Assert: one workflow started, for the alarm's own cluster, with a valid request
      expect({ alarm: name, matched: matched.map((p) => `${p.kind}:${p.cluster}`) }).toEqual({
        alarm: name,
        matched: [`${value === 'ALARM' ? 'failover' : 'auto-restore'}:${cluster.name}`],
      });
      for (const rule of matched) {
        expectRequestFor(transform(rule, event), rule.kind, cluster.name, name, reason, cfg);
      }
    }
  }
};

describe('configured health alarm names, fuzzed', () => {
  it('are refused by the config or at synth, or every event of theirs becomes a valid request for their cluster', () => {
    fc.assert(
      fc.property(
        // Disjoint lists: an alarm under two clusters is a test below. So are names starting with
        // white space or holding a line separator.
        fc
          .uniqueArray(
            alarmName.filter((name) => !/^\s|[\u2028\u2029]/.test(name)),
            { minLength: 2, maxLength: 6 },
          )
          .map((names) => [
            names.slice(0, Math.ceil(names.length / 2)),
            names.slice(Math.ceil(names.length / 2)),
          ]),
        fc.constantFrom('ALARM' as const, 'OK' as const),
        freeText,
        expectEachAlarmStartsItsOwnRequest,
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('are refused, or start their failover, when they start with white space or hold a line separator', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(
            fc.constantFrom(' ', '\t', '\u00a0', '\u2003', '\u3000', '\ufeff'),
            fc.stringMatching(/^[a-z0-9-]{1,20}$/),
            fc.constantFrom('', '\u2028', '\u2029'),
            fc.boolean(),
          )
          .map(([space, plain, separator, leading]) =>
            leading ? `${space}${plain}${separator}` : `${plain}${separator || '\u2028'}${plain}`,
          ),
        fc.constantFrom('ALARM' as const, 'OK' as const),
        (name, value) =>
          expectEachAlarmStartsItsOwnRequest([[name], ['green-5xx']], value, 'Threshold Crossed'),
      ),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('never start two failovers from one alarm: an alarm under two clusters is refused by the config or at synth', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/),
        fc.constantFrom('ALARM' as const, 'OK' as const),
        (shared, value) => {
          // Prepare: the same health alarm under blue and green
          const clusters = [
            { name: 'blue', healthAlarms: [shared] },
            { name: 'green', healthAlarms: [shared] },
          ];
          let cfg: FleetConfig;
          try {
            cfg = validateFleetConfig({ ...fleetInput(), clusters });
            assertAlarmNamesInsertable(cfg);
          } catch (error) {
            // Refused: the message names the alarm.
            expect((error as Error).message).toContain(shared);
            return;
          }
          const event = alarmEvent(METRIC_EVENT, shared, value, {
            reason: 'r',
            description: 'd',
            previousReason: 'p',
            reasonData: '{}',
          });

          // Act
          const matched = rules.filter((rule) => {
            const synthesized = rule.pattern as { detail: Record<string, unknown> };
            const pattern = { ...synthesized, detail: { ...synthesized.detail, alarmName: [shared] } };
            return matchesEventPattern(compileEventPattern(pattern), event);
          });

          // Assert: one alarm starts at most one workflow
          expect({ alarm: shared, rules: matched.map((rule) => rule.name) }).toEqual({
            alarm: shared,
            rules: matched.slice(0, 1).map((rule) => rule.name),
          });
        },
      ),
      { seed: SEED, numRuns: 20 },
    );
  });
});
