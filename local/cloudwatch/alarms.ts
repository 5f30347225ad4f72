import type { CompositeAlarm, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { TwinClock } from '../clock';
import { TwinError, validationError } from '../errors';
import { partitionOf } from '../partition';
import type { CompositeAlarmConfig, MetricAlarmConfig, ParsedAlarm, Tag } from './alarm-input';
import { ruleReferences } from './alarm-rule';
import type { AlarmStateValue } from './input';

/**
 * The twin's alarms: configuration as PutMetricAlarm/PutCompositeAlarm stored it, and state as
 * SetAlarmState (or the twin itself) last set it. Every state change is reported to `onChange`.
 */
export type AlarmType = 'MetricAlarm' | 'CompositeAlarm';

export interface AlarmState {
  readonly value: AlarmStateValue;
  readonly reason: string;
  readonly reasonData?: string;
  /** Last SetAlarmState (or creation), even if the value did not change. */
  readonly updatedAt: Date;
  /** Last time the value changed (or creation). */
  readonly transitionedAt: Date;
}

interface StoredBase {
  readonly name: string;
  readonly arn: string;
  readonly configUpdatedAt: Date;
  readonly state: AlarmState;
  readonly tags: readonly Tag[];
}

export type StoredAlarm =
  | (StoredBase & { readonly type: 'MetricAlarm'; readonly config: MetricAlarmConfig })
  | (StoredBase & {
      readonly type: 'CompositeAlarm';
      readonly config: CompositeAlarmConfig;
      /** Names of the alarms the rule references. */
      readonly children: readonly string[];
    });

export interface AlarmStateChange {
  /** The alarm after the change, as DescribeAlarms shows it. */
  readonly alarm: MetricAlarm | CompositeAlarm;
  readonly type: AlarmType;
  readonly previousState: AlarmStateValue;
  readonly previousReason: string;
  readonly previousReasonData?: string;
  readonly previousAt: Date;
  readonly state: AlarmStateValue;
  readonly reason: string;
  readonly reasonData?: string;
  readonly at: Date;
}

const INITIAL_REASON = 'Unchecked: Initial alarm creation';

export const notFound = (name: string): TwinError =>
  new TwinError('ResourceNotFound', `Alarm ${name} not found`, 404);

/** The alarm as DescribeAlarms returns it. */
export const describeAlarm = (alarm: StoredAlarm): MetricAlarm | CompositeAlarm => ({
  AlarmName: alarm.name,
  AlarmArn: alarm.arn,
  AlarmConfigurationUpdatedTimestamp: alarm.configUpdatedAt,
  ...alarm.config,
  StateValue: alarm.state.value,
  StateReason: alarm.state.reason,
  ...(alarm.state.reasonData === undefined ? {} : { StateReasonData: alarm.state.reasonData }),
  StateUpdatedTimestamp: alarm.state.updatedAt,
  StateTransitionedTimestamp: alarm.state.transitionedAt,
});

export class AlarmStore {
  private readonly byName = new Map<string, StoredAlarm>();
  private readonly arnPrefix: string;

  constructor(
    private readonly clock: TwinClock,
    region: string,
    accountId: string,
    private readonly onChange: (change: AlarmStateChange) => void,
  ) {
    this.arnPrefix = `arn:${partitionOf(region)}:cloudwatch:${region}:${accountId}:alarm:`;
  }

  get(name: string): StoredAlarm | undefined {
    return this.byName.get(name);
  }

  /** Every alarm, sorted by name (the order DescribeAlarms pages in). */
  all(): StoredAlarm[] {
    return [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** An alarm name, or an ARN of this account and region, → the alarm's name. */
  resolve(reference: string): string {
    return reference.startsWith(this.arnPrefix) ? reference.slice(this.arnPrefix.length) : reference;
  }

  putMetricAlarm(parsed: ParsedAlarm<MetricAlarmConfig>): void {
    const existing = this.byName.get(parsed.name);
    if (existing?.type === 'CompositeAlarm')
      throw validationError(
        `The alarm ${parsed.name} is a composite alarm; PutMetricAlarm cannot replace it.`,
      );
    this.byName.set(parsed.name, {
      type: 'MetricAlarm',
      ...this.base(parsed, existing),
      config: parsed.config,
    });
  }

  putCompositeAlarm(parsed: ParsedAlarm<CompositeAlarmConfig>): void {
    const existing = this.byName.get(parsed.name);
    if (existing?.type === 'MetricAlarm')
      throw validationError(
        `The alarm ${parsed.name} is a metric alarm; PutCompositeAlarm cannot replace it.`,
      );
    const children = ruleReferences(parsed.config.AlarmRule ?? '').map((reference) =>
      this.resolve(reference),
    );
    if (children.length > 100)
      throw validationError(
        `An AlarmRule can reference at most 100 alarms; this one references ${children.length}.`,
      );
    if (children.includes(parsed.name))
      throw validationError(`The composite alarm ${parsed.name} cannot reference itself in its AlarmRule.`);
    const absent = children.filter((child) => !this.byName.has(child));
    if (absent.length > 0)
      throw validationError(
        `Could not save the composite alarm as alarms [${absent.join(', ')}] in the alarm rule do not exist`,
      );
    const suppressor = parsed.config.ActionsSuppressor;
    if (suppressor !== undefined && !this.byName.has(this.resolve(suppressor)))
      throw validationError(`The ActionsSuppressor alarm ${suppressor} does not exist.`);
    this.byName.set(parsed.name, {
      type: 'CompositeAlarm',
      ...this.base(parsed, existing),
      config: parsed.config,
      children,
    });
  }

  /** Set an alarm's state; reports a change when the value differs from the current one. */
  setState(name: string, value: AlarmStateValue, reason: string, reasonData?: string): void {
    const alarm = this.byName.get(name);
    if (alarm === undefined) throw notFound(name);
    const at = this.clock.date();
    const previous = alarm.state;
    const changed = previous.value !== value;
    const state: AlarmState = {
      value,
      reason,
      ...(reasonData === undefined ? {} : { reasonData }),
      updatedAt: at,
      transitionedAt: changed ? at : previous.transitionedAt,
    };
    const updated = { ...alarm, state };
    this.byName.set(name, updated);
    if (!changed) return;
    this.onChange({
      alarm: describeAlarm(updated),
      type: updated.type,
      previousState: previous.value,
      previousReason: previous.reason,
      ...(previous.reasonData === undefined ? {} : { previousReasonData: previous.reasonData }),
      previousAt: previous.updatedAt,
      state: value,
      reason,
      ...(reasonData === undefined ? {} : { reasonData }),
      at,
    });
  }

  /**
   * Delete alarms by name; names that do not exist are ignored. Refused, deleting nothing, when a
   * composite alarm that stays would lose a child, or when more than one composite is named.
   */
  delete(names: readonly string[]): void {
    const doomed = new Set(names.filter((name) => this.byName.has(name)));
    const composites = [...doomed].filter((name) => this.byName.get(name)?.type === 'CompositeAlarm');
    if (composites.length > 1)
      throw validationError(
        `DeleteAlarms deletes at most one composite alarm per call; got ${composites.length}: ${composites.join(', ')}.`,
      );
    const needed = new Set<string>();
    for (const alarm of this.byName.values()) {
      if (alarm.type !== 'CompositeAlarm' || doomed.has(alarm.name)) continue;
      for (const child of alarm.children) if (doomed.has(child)) needed.add(child);
    }
    if (needed.size > 0)
      throw validationError(
        `Cannot delete ${[...needed].join(',')} as there are composite alarm(s) depending on them.`,
      );
    for (const name of doomed) this.byName.delete(name);
  }

  private base(parsed: ParsedAlarm<unknown>, existing: StoredAlarm | undefined): StoredBase {
    const now = this.clock.date();
    return {
      name: parsed.name,
      arn: `${this.arnPrefix}${parsed.name}`,
      configUpdatedAt: now,
      // An update keeps the alarm's state and, as AWS documents, ignores Tags.
      state: existing?.state ?? {
        value: 'INSUFFICIENT_DATA',
        reason: INITIAL_REASON,
        updatedAt: now,
        transitionedAt: now,
      },
      tags: existing?.tags ?? parsed.tags,
    };
  }
}
