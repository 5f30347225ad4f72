import type { TwinClock } from '../clock';
import type { AlarmStateChange } from '../cloudwatch';
import { TwinError } from '../errors';
import type { LambdaRuntime } from '../lambda/runtime';
import { partitionOf } from '../partition';
import { optionalInteger, optionalList } from '../protocol/scalars';
import type { Operation, TwinInput, TwinService } from '../service';
import type { ExecutionStatusChange, StepFunctionsTwin } from '../sfn';
import { ActivityLog, type DeliveryRecord, type EventRecord } from './activity-log';
import { alarmStateChangeEvent } from './alarm-event';
import { type DeadLetterQueue, DeadLetters, type QueueSpec } from './dead-letters';
import { type DeliveryContext, deliver } from './delivery';
import { buildEvent, type EventEnvelope } from './envelope';
import { executionStatusChangeEvent } from './execution-event';
import {
  checkEventBus,
  constraintError,
  DEFAULT_BUS,
  RULE_NAME,
  requiredParam,
  stringParam,
  TARGET_ID,
} from './input';
import { matchesEventPattern } from './pattern';
import { parsePutEvents } from './put-events';
import { parseTargets, type RuleState, RuleStore, type RuleTarget, type StoredRule } from './rules';

export interface EventBridgeTwinOptions {
  readonly clock: TwinClock;
  readonly region: string;
  readonly accountId: string;
  readonly sfn: StepFunctionsTwin;
  readonly lambda: LambdaRuntime;
  /** Twin ms before a target's first retry (doubling after). Default 1000, as EventBridge starts. */
  readonly retryBaseMs?: number;
  /** Runs before each call to a target's service: the twin passes its fault injection here. */
  readonly beforeTargetCall?: (service: 'sfn' | 'lambda', operation: string) => Promise<void>;
  /** IAM: checks a target's RoleArn may make the call (see DeliveryContext.authorize). */
  readonly authorizeTarget?: DeliveryContext['authorize'];
}

/** A rule of the synthesized template, with its targets (see local/template/plan.ts). */
export interface RuleDefinition {
  readonly name: string;
  readonly eventPattern: unknown;
  readonly state?: RuleState;
  readonly description?: string;
  readonly targets: readonly RuleTarget[];
}

export interface EventsActivity {
  readonly events: readonly EventRecord[];
  readonly deliveries: readonly DeliveryRecord[];
  readonly deadLetterQueues: readonly DeadLetterQueue[];
  readonly rules: readonly {
    name: string;
    arn: string;
    state: RuleState;
    eventPattern: string;
    targets: string[];
  }[];
}

/** The shared scalar helpers say ValidationError (awsQuery); EventBridge says ValidationException. */
const asEventBridgeErrors =
  (operation: Operation): Operation =>
  async (input) => {
    try {
      return await operation(input);
    } catch (error) {
      if (error instanceof TwinError && error.code === 'ValidationError')
        throw new TwinError('ValidationException', error.message);
      throw error;
    }
  };

const pageToken = (offset: number): string => Buffer.from(`events:${offset}`).toString('base64');
const pageOffset = (token: string | undefined): number => {
  if (token === undefined) return 0;
  const match = /^events:([0-9]+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (match === null) throw new TwinError('ValidationException', 'The NextToken is not valid.');
  return Number(match[1]);
};

const page = <T>(items: readonly T[], input: TwinInput): { items: T[]; nextToken?: string } => {
  const limit = optionalInteger(input.Limit, 'limit') ?? 100;
  if (limit < 1 || limit > 100) throw constraintError('limit', limit, 'Member must be between 1 and 100');
  const offset = pageOffset(stringParam(input.NextToken, 'nextToken', { min: 1, max: 2048 }));
  const slice = items.slice(offset, offset + limit);
  return offset + limit < items.length
    ? { items: slice, nextToken: pageToken(offset + limit) }
    : { items: slice };
};

/**
 * EventBridge on the twin (awsJson 1.1, `AWSEvents.<Op>`): the default event bus, its rules and
 * targets, PutEvents, and the events the twin's own services emit (alarm state changes, execution
 * status changes). Every event is matched against the enabled rules; each matching rule's targets
 * get it asynchronously, with retries and dead-letter queues (local/events/delivery.ts).
 */
export class EventBridgeTwin implements TwinService {
  readonly operations: Readonly<Record<string, Operation>>;
  readonly busArn: string;
  private readonly rules: RuleStore;
  private readonly log = new ActivityLog();
  private readonly deadLetters = new DeadLetters();
  private readonly inFlight = new Set<Promise<unknown>>();
  private abort = new AbortController();

  constructor(private readonly options: EventBridgeTwinOptions) {
    const prefix = `arn:${partitionOf(options.region)}:events:${options.region}:${options.accountId}:`;
    this.busArn = `${prefix}event-bus/${DEFAULT_BUS}`;
    this.rules = new RuleStore(`${prefix}rule/`, this.busArn);
    const operations: Record<string, Operation> = {
      PutEvents: (input) => this.putEvents(input),
      PutRule: (input) => ({ RuleArn: this.rules.put(RuleStore.ruleSpecOf(input, this.busArn)).arn }),
      DescribeRule: (input) => this.describeRule(input),
      ListRules: (input) => this.listRules(input),
      DeleteRule: (input) => {
        this.rules.delete(this.ruleName(input.Name, 'name'));
        return {};
      },
      EnableRule: (input) => {
        this.rules.setState(this.ruleName(input.Name, 'name'), 'ENABLED');
        return {};
      },
      DisableRule: (input) => {
        this.rules.setState(this.ruleName(input.Name, 'name'), 'DISABLED');
        return {};
      },
      PutTargets: (input) => {
        const name = this.ruleName(input.Rule, 'rule');
        this.rules.putTargets(name, parseTargets(input.Targets));
        return { FailedEntryCount: 0, FailedEntries: [] };
      },
      ListTargetsByRule: (input) => {
        const rule = this.rules.get(this.ruleName(input.Rule, 'rule'));
        const { items, nextToken } = page([...rule.targets.values()], input);
        return { Targets: items, ...(nextToken === undefined ? {} : { NextToken: nextToken }) };
      },
      RemoveTargets: (input) => {
        const name = this.ruleName(input.Rule, 'rule');
        const ids = (optionalList(input.Ids, 'ids') ?? []).map((id, index) =>
          requiredParam(id, `ids.${index + 1}.member`, { min: 1, max: 64, pattern: TARGET_ID }),
        );
        if (ids.length < 1 || ids.length > 100)
          throw constraintError('ids', `[${ids.length} items]`, 'Member must have length between 1 and 100');
        this.rules.removeTargets(name, ids);
        return { FailedEntryCount: 0, FailedEntries: [] };
      },
    };
    this.operations = Object.fromEntries(
      Object.entries(operations).map(([name, operation]) => [name, asEventBridgeErrors(operation)]),
    );
  }

  /** Creates or replaces a rule of a template with exactly these targets; InvalidEventPatternException for a bad pattern. */
  defineRule(definition: RuleDefinition): StoredRule {
    const rule = this.rules.put({
      name: definition.name,
      eventPattern: definition.eventPattern,
      ...(definition.state === undefined ? {} : { state: definition.state }),
      ...(definition.description === undefined ? {} : { description: definition.description }),
    });
    rule.targets.clear();
    this.rules.putTargets(definition.name, definition.targets);
    return rule;
  }

  /** A queue of the template that rule targets may name as their dead-letter queue. */
  addQueue(queue: QueueSpec): void {
    this.deadLetters.addQueue(queue);
  }

  /**
   * Puts an event on the default bus as an AWS service would (no check of its source) and starts
   * delivering it to the targets of every enabled rule it matches. Returns those rules' names.
   */
  publish(event: EventEnvelope, origin: EventRecord['origin'] = 'twin'): string[] {
    const ingestionTime = this.options.clock.date();
    const matched = this.rules
      .all()
      .filter((rule) => rule.state !== 'DISABLED' && matchesEventPattern(rule.pattern, event));
    this.log.addEvent({
      id: event.id,
      source: event.source,
      detailType: event['detail-type'],
      time: event.time,
      resources: event.resources,
      origin,
      matchedRules: matched.map((rule) => rule.name),
      event,
    });
    for (const rule of matched) {
      for (const target of rule.targets.values())
        this.track(deliver(rule, target, event, ingestionTime, this.context()));
    }
    return matched.map((rule) => rule.name);
  }

  /** CloudWatch's "CloudWatch Alarm State Change" event for this change, put on the bus. */
  emitAlarmStateChange(change: AlarmStateChange): EventEnvelope {
    const event = alarmStateChangeEvent(change, this.where());
    this.publish(event);
    return event;
  }

  /** Step Functions' "Step Functions Execution Status Change" event, put on the bus. */
  emitExecutionStatusChange(change: ExecutionStatusChange): EventEnvelope {
    const event = executionStatusChangeEvent(change, this.where());
    this.publish(event);
    return event;
  }

  /** Recent events and deliveries, the dead-letter queues and the rules (GET /_twin/events). */
  activity(): EventsActivity {
    return {
      events: [...this.log.events()],
      deliveries: this.log.deliveries().map((record) => ({ ...record })),
      deadLetterQueues: this.deadLetters.list(),
      rules: this.rules.all().map((rule) => ({
        name: rule.name,
        arn: rule.arn,
        state: rule.state,
        eventPattern: rule.eventPattern,
        targets: [...rule.targets.values()].map((target) => target.Arn),
      })),
    };
  }

  /** Whether a delivery (or its retry) is under way. */
  busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** Resolves when every delivery started so far (and any started meanwhile) has settled. */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Abandons pending retries (the twin is shutting down); later events are delivered again. */
  stop(): void {
    this.abort.abort();
    this.abort = new AbortController();
  }

  private putEvents(input: TwinInput) {
    const entries = parsePutEvents(input, this.busArn);
    const results = entries.map((entry) => {
      if (!entry.ok) return { ErrorCode: entry.errorCode, ErrorMessage: entry.errorMessage };
      const event = buildEvent({
        source: entry.source,
        detailType: entry.detailType,
        detail: entry.detail,
        resources: entry.resources,
        time: entry.time ?? this.options.clock.date(),
        ...this.where(),
      });
      this.publish(event, 'PutEvents');
      return { EventId: event.id };
    });
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  private describeRule(input: TwinInput) {
    checkEventBus(input.EventBusName, this.busArn);
    const rule = this.rules.get(this.ruleName(input.Name, 'name'));
    return { ...this.ruleSummary(rule), CreatedBy: this.options.accountId };
  }

  private listRules(input: TwinInput) {
    checkEventBus(input.EventBusName, this.busArn);
    const prefix = stringParam(input.NamePrefix, 'namePrefix', { min: 1, max: 64, pattern: RULE_NAME }) ?? '';
    const { items, nextToken } = page(
      this.rules.all().filter((rule) => rule.name.startsWith(prefix)),
      input,
    );
    return {
      Rules: items.map((rule) => this.ruleSummary(rule)),
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    };
  }

  private ruleSummary(rule: StoredRule) {
    return {
      Name: rule.name,
      Arn: rule.arn,
      EventPattern: rule.eventPattern,
      State: rule.state,
      ...(rule.description === undefined ? {} : { Description: rule.description }),
      ...(rule.roleArn === undefined ? {} : { RoleArn: rule.roleArn }),
      EventBusName: DEFAULT_BUS,
    };
  }

  private ruleName(value: unknown, name: string): string {
    return requiredParam(value, name, { min: 1, max: 64, pattern: RULE_NAME });
  }

  private where() {
    return { account: this.options.accountId, region: this.options.region };
  }

  private context(): DeliveryContext {
    return {
      clock: this.options.clock,
      sfn: this.options.sfn,
      lambda: this.options.lambda,
      log: this.log,
      deadLetters: this.deadLetters,
      retryBaseMs: this.options.retryBaseMs ?? 1000,
      ...(this.options.beforeTargetCall === undefined ? {} : { beforeCall: this.options.beforeTargetCall }),
      ...(this.options.authorizeTarget === undefined ? {} : { authorize: this.options.authorizeTarget }),
      signal: this.abort.signal,
    };
  }

  private track(delivery: Promise<unknown>): void {
    const tracked = delivery.catch(() => undefined).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}
