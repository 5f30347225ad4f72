import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { ERROR_NAMES, type FieldIssue, isClusterShiftError } from '../../core/errors';
import { GUARDRAIL_NAMES } from '../../core/guardrail-names';
import { ALARMS, testConfig, WorkflowHarness } from '../support/workflow';

/**
 * Fuzzing of the handlers' inputs: execution inputs to Prepare (random, and shaped as the alarm
 * rules, the CLI and chat make them), malformed task payloads to every workflow task, and EventBridge
 * status-change events to execution-ended. A refused input throws a typed error (a stable `name`,
 * InvalidRequest naming the field) and writes nothing: no weight, no lock, no history, no plan.
 * Valid inputs may work; whatever happens, no handler throws an untyped error of its own.
 */

jest.setTimeout(120_000);

const SEED = 20_260_604;
const harness = new WorkflowHarness();

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
let executionEnded: Handler;

beforeAll(async () => {
  await harness.start();
  ({ handler: executionEnded } = (await import('../../functions/execution-ended')) as unknown as {
    handler: Handler;
  });
  // Every write the store makes goes through its DynamoDBClient's send: record those that succeed.
  const send = DynamoDBClient.prototype.send;
  jest.spyOn(DynamoDBClient.prototype, 'send').mockImplementation(async function (
    this: DynamoDBClient,
    command: { constructor: { name: string }; input: Record<string, unknown> },
    ...rest: unknown[]
  ) {
    const result = await (send as (...args: unknown[]) => Promise<unknown>).call(this, command, ...rest);
    const name = command.constructor.name;
    // The shared ELBv2 pacer's bucket (aws/store-pacer.ts) is pacing, not the state of any shift.
    if (WRITES.includes(name))
      for (const key of keysOf(name, command.input))
        if (!key.startsWith('pacer#')) tableWrites.push(`${name} ${key}`);
    return result;
  } as never);
});
afterAll(async () => {
  jest.restoreAllMocks();
  await harness.stop();
});
beforeEach(async () => {
  await harness.reset(testConfig());
  harness.addService('api.example.com', { blue: 50, green: 50 });
  harness.addService('web.example.com', { blue: 100, green: 0 });
});

/** The DynamoDB commands that write. */
const WRITES = [
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
];
/** Every DynamoDB write that succeeded, as `Command pk|sk`: what "nothing written" is checked against. */
const tableWrites: string[] = [];

/** The keys a write touches (in DynamoDB JSON: `{ pk: { S: … }, sk: { S: … } }`). */
const keysOf = (name: string, input: Record<string, unknown>): string[] => {
  const key = (item: unknown) => {
    const { pk, sk } = (item ?? {}) as { pk?: { S?: unknown }; sk?: { S?: unknown } };
    return `${String(pk?.S)}|${String(sk?.S)}`;
  };
  if (name === 'PutItemCommand') return [key(input.Item)];
  if (name === 'UpdateItemCommand' || name === 'DeleteItemCommand') return [key(input.Key)];
  const requests = Object.values(
    (input.RequestItems ?? {}) as Record<string, Record<string, unknown>[]>,
  ).flat();
  const items = (input.TransactItems ?? []) as Record<string, Record<string, unknown>>[];
  return [
    ...requests.map((r) =>
      key((r.PutRequest as { Item?: unknown })?.Item ?? (r.DeleteRequest as { Key?: unknown })?.Key),
    ),
    ...items.map((t) => key(Object.values(t)[0]?.Item ?? Object.values(t)[0]?.Key)),
  ];
};

/** Everything a handler could have written: the table, the ALB, notifications, stopped executions. */
const worldState = () => ({
  table: tableWrites.length,
  albWrites: harness.alb.writes.length,
  published: harness.published.length,
  stopped: harness.stopped.length,
});

const expectNothingWritten = (before: ReturnType<typeof worldState>): void => {
  const after = worldState();
  expect({
    table: tableWrites.slice(before.table),
    albWrites: after.albWrites - before.albWrites,
    published: after.published - before.published,
    stopped: after.stopped - before.stopped,
  }).toEqual({ table: [], albWrites: 0, published: 0, stopped: 0 });
};

type Outcome = { ok: true; value: unknown } | { ok: false; error: Error };
const outcomeOf = async (promise: Promise<unknown>): Promise<Outcome> => {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error: error as Error };
  }
};

/** A typed error: one of the stable names, a message; InvalidRequest with at least one field issue. */
const expectTyped = (error: Error, input?: unknown): void => {
  const seen = { input, name: error?.name, message: String(error?.message).slice(0, 300) };
  expect({ ...seen, typed: isClusterShiftError(error) }).toEqual({ ...seen, typed: true });
  expect(ERROR_NAMES).toContain(error.name);
  expect(error.message.trim()).not.toBe('');
  if (error.name === 'InvalidRequest') {
    const issues = (error as unknown as { issues: FieldIssue[] }).issues;
    expect(issues.length).toBeGreaterThan(0);
  }
};

const issuesOf = (error: Error): FieldIssue[] => (error as unknown as { issues?: FieldIssue[] }).issues ?? [];

/** Values of every type, edges of ranges and hostile text: what a malformed payload carries. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    0.5,
    1,
    2,
    19,
    20,
    100,
    101,
    86_401,
    2 ** 53,
    1e308,
    Number.NaN,
    '',
    ' ',
    'blue',
    'green',
    'red',
    '__proto__',
    'constructor',
    'x'.repeat(5_000),
    '\u0000\n"\\<>',
    [],
    {},
    [1],
    { __proto__: { polluted: true } },
  ),
  fc.integer(),
  fc.double(),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.jsonValue({ maxDepth: 2 }),
);

const freeText = fc.oneof(
  fc.constantFrom('upgrade', 'EKS 1.31 upgrade of blue', '', '   ', 'x'.repeat(501), 'x'.repeat(10_000)),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

const REQUEST_FIELDS = [
  'action',
  'cluster',
  'weights',
  'steps',
  'bakeSeconds',
  'checkIntervalSeconds',
  'pauseBeforeSteps',
  'reason',
  'requestedBy',
  'holdSeconds',
  'dryRun',
  'force',
  'trigger',
];

const clusterName = fc.oneof(fc.constantFrom('blue', 'green', 'red', 'BLUE', 'blue ', '__proto__'), anyValue);
const weights = fc.oneof(
  fc.dictionary(
    fc.oneof(fc.constantFrom('blue', 'green', 'red', '__proto__', 'constructor', 'toString'), fc.string()),
    fc.oneof(fc.integer({ min: -10, max: 110 }), anyValue),
    { maxKeys: 4 },
  ),
  fc.constantFrom({ blue: 20, green: 80 }, { blue: 100 }, { blue: 50, green: 50, red: 0 }),
  anyValue,
);
const steps = fc.oneof(
  fc.constantFrom([1], [0.5, 1], [0.25, 0.5, 0.75, 1], [0.5, 0.2, 1], [0, 1], [], [1, 1], [0.5]),
  fc.array(fc.double({ min: -1, max: 2 }), { maxLength: 25 }),
  anyValue,
);
const seconds = fc.oneof(fc.constantFrom(0, 1, 30, 3_600, 3_601, 86_400, 86_401, -1, 1.5), anyValue);
const requestedBy = fc.oneof(
  fc.constantFrom(
    'cli:alice',
    'slack:U0ADMIN (alice)',
    'webhook:pagerbot',
    `alarm:${ALARMS.blue}`,
    `auto-restore:${ALARMS.blue}`,
    'console:bob',
    'api:ci',
    'cli:',
    'cli: alice',
    'cli:\u2028x',
    'root',
    `cli:${'x'.repeat(256)}`,
  ),
  fc.string({ maxLength: 20 }),
  anyValue,
);
const force = fc.oneof(
  fc.array(fc.oneof(fc.constantFrom(...GUARDRAIL_NAMES), fc.string()), { maxLength: 3 }),
  anyValue,
);
const trigger = fc.oneof(
  fc.record(
    {
      alarmName: fc.oneof(fc.constantFrom(ALARMS.blue, ALARMS.green, '', 'x'.repeat(256)), anyValue),
      alarmArn: fc.oneof(
        fc.constant(`arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${ALARMS.blue}`),
        anyValue,
      ),
      stateReason: fc.oneof(freeText, fc.constant('r'.repeat(2_000)), anyValue),
      time: fc.oneof(fc.constantFrom('2026-11-23T10:00:00Z', '', 'yesterday', 'x'.repeat(65)), anyValue),
      extra: anyValue,
    },
    { requiredKeys: [] },
  ),
  anyValue,
);

/** Any subset of the request's fields, each with a right or wrong value, sometimes an unknown key. */
const randomRequest = fc.record(
  {
    action: fc.oneof(fc.constantFrom('drain', 'restore', 'shift', 'failover', 'DRAIN', 'rollback'), anyValue),
    cluster: clusterName,
    weights,
    steps,
    bakeSeconds: seconds,
    checkIntervalSeconds: seconds,
    pauseBeforeSteps: fc.oneof(fc.array(fc.integer({ min: -1, max: 21 }), { maxLength: 4 }), anyValue),
    reason: fc.oneof(freeText, anyValue),
    requestedBy,
    holdSeconds: seconds,
    dryRun: fc.oneof(fc.boolean(), anyValue),
    force,
    trigger,
    drian: anyValue,
  },
  { requiredKeys: [] },
);

/** What an alarm rule starts: a failover, or an auto-restore that holds first; free text anywhere. */
const alarmRequest = fc
  .record({
    cluster: fc.constantFrom('blue', 'green'),
    restore: fc.boolean(),
    alarm: fc.oneof(fc.constantFrom(ALARMS.blue, ALARMS.green), fc.string({ minLength: 1, maxLength: 40 })),
    stateReason: fc.oneof(freeText, fc.constant('r'.repeat(2_000))),
    hold: fc.constantFrom(0, 600, 86_400),
  })
  .map(({ cluster, restore, alarm, stateReason, hold }) => ({
    action: restore ? 'restore' : 'failover',
    cluster,
    reason: `${alarm} is ${restore ? 'OK' : 'ALARM'}`,
    requestedBy: `${restore ? 'auto-restore' : 'alarm'}:${alarm}`,
    ...(restore ? { holdSeconds: hold } : {}),
    trigger: {
      alarmName: alarm,
      alarmArn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${alarm}`,
      stateReason,
      time: '2026-11-23T10:00:00Z',
    },
  }));

/** What the CLI and chat start: drain/restore/shift with options, mostly well formed. */
const operatorRequest = fc
  .record(
    {
      action: fc.constantFrom('drain', 'restore', 'shift'),
      cluster: fc.constantFrom('blue', 'green', 'red'),
      weights: fc.constantFrom({ blue: 20, green: 80 }, { blue: 0, green: 100 }, { blue: 30, green: 30 }),
      steps: fc.constantFrom([1], [0.5, 1], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]),
      bakeSeconds: fc.constantFrom(0, 60),
      pauseBeforeSteps: fc.constantFrom([0], [1], [5]),
      reason: freeText,
      requestedBy: fc.constantFrom('cli:alice', 'slack:U0ADMIN (alice)', 'webhook:pagerbot'),
      dryRun: fc.boolean(),
      force: fc.subarray([...GUARDRAIL_NAMES], { maxLength: 2 }),
    },
    { requiredKeys: ['action', 'reason', 'requestedBy'] },
  )
  .map(({ action, cluster, weights: split, ...rest }) =>
    action === 'shift' ? { action, weights: split, ...rest } : { action, cluster, ...rest },
  );

let runs = 0;
/** A fresh execution id per run, so that what one run stores is never another's. */
const nextExecutionId = () => {
  runs += 1;
  return `arn:aws:states:eu-west-1:123456789012:execution:clustershift-${harness.fleet}:fuzz-${runs}`;
};

describe('prepare, fuzzed', () => {
  it('answers any execution input with a plan or a typed refusal naming the field, and writes nothing for a refusal', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(randomRequest, alarmRequest, operatorRequest, anyValue),
        fc.record({ preempted: anyValue, held: anyValue }, { requiredKeys: [] }),
        fc.boolean(),
        async (request, extra, withExtra) => {
          // Prepare
          const executionId = nextExecutionId();
          const before = worldState();

          // Act
          const outcome = await outcomeOf(
            harness.invoke('Prepare', { executionId, request, ...(withExtra ? extra : {}) }),
          );

          // Assert
          if (outcome.ok) {
            // A plan: no weight, lock or history yet; at most the plan of this execution is stored, and
            // the fleet's tag inventory refreshed (core/tag-inventory.ts).
            const after = worldState();
            expect(after.albWrites - before.albWrites).toBe(0);
            for (const write of tableWrites.slice(before.table))
              expect(write).toMatch(/^\w+ (exec#[^|]*\|plan|fleet#[^|]*\|tags)/);
            return;
          }
          expectTyped(outcome.error, request);
          expectNothingWritten(before);
          if (outcome.error.name !== 'InvalidRequest') return;
          const isObject = typeof request === 'object' && request !== null && !Array.isArray(request);
          for (const issue of issuesOf(outcome.error)) {
            // Each issue names a field of the request (or of the task event), or the unknown key.
            const [head] = issue.path.split('.');
            const named =
              REQUEST_FIELDS.includes(head ?? '') ||
              ['executionId', 'preempted', 'held'].includes(head ?? '') ||
              (issue.path === '' && (!isObject || /Unrecognized key/.test(issue.message)));
            expect({ issue, named }).toEqual({ issue, named: true });
          }
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});

/** A drain of blue, prepared and locked: the execution every task payload below refers to. */
const lockedDrain = async (): Promise<string> => {
  const executionId = nextExecutionId();
  await harness.invoke('Prepare', {
    executionId,
    request: { action: 'drain', cluster: 'blue', reason: 'upgrade', requestedBy: 'cli:alice' },
  });
  await harness.invoke('Lock', { executionId });
  return executionId;
};

type Field = {
  readonly path: readonly string[];
  readonly wrong: fc.Arbitrary<unknown>;
  readonly required: boolean;
};
const notString = fc.oneof(fc.constantFrom(null, 0, true, [], {}), fc.integer());
const notCount = fc.oneof(
  fc.constantFrom(null, -1, 0.5, '0', '', true, [], {}, 2 ** 53, Number.NaN),
  fc.string(),
);
const notIn = (allowed: readonly string[]) =>
  fc
    .oneof(
      notString,
      fc.string({ maxLength: 12 }),
      fc.constantFrom('', 'SUCCEEDED ', 'bake ', 'Step', 'failed'),
    )
    .filter((value) => !allowed.includes(value as string));
const idField: Field = { path: ['executionId'], wrong: fc.oneof(notString, fc.constant('')), required: true };

/** Each task's valid payload (for execution `id`) and the fields a malformed one gets wrong. */
const TASKS: Record<string, { payload: (id: string) => Record<string, unknown>; fields: Field[] }> = {
  ApplyStep: {
    payload: (id) => ({ executionId: id, stepIndex: 0 }),
    fields: [idField, { path: ['stepIndex'], wrong: notCount, required: true }],
  },
  CheckGates: {
    payload: (id) => ({
      executionId: id,
      phase: 'bake',
      stepIndex: 0,
      checks: 0,
      bakeChecks: 2,
      checkIntervalSeconds: 30,
    }),
    fields: [
      idField,
      { path: ['phase'], wrong: notIn(['before-step', 'bake']), required: true },
      { path: ['stepIndex'], wrong: notCount, required: true },
      { path: ['checks'], wrong: notCount, required: false },
      { path: ['bakeChecks'], wrong: notCount, required: false },
      { path: ['checkIntervalSeconds'], wrong: fc.oneof(notCount, fc.constant(0)), required: false },
    ],
  },
  Lock: { payload: (id) => ({ executionId: id }), fields: [idField] },
  Rollback: {
    payload: (id) => ({ executionId: id, error: { Error: 'GateFailed', Cause: 'x' } }),
    fields: [
      idField,
      { path: ['error'], wrong: fc.constantFrom(null, 'GateFailed', 1, []), required: true },
      { path: ['error', 'Error'], wrong: notString, required: true },
    ],
  },
  VerifyDrained: {
    payload: (id) => ({ executionId: id, attempt: 0 }),
    fields: [idField, { path: ['attempt'], wrong: notCount, required: false }],
  },
  Notify: {
    payload: (id) => ({ executionId: id, kind: 'step', stepIndex: 0 }),
    fields: [
      idField,
      { path: ['kind'], wrong: notIn(['started', 'step']), required: true },
      { path: ['stepIndex'], wrong: notCount, required: true },
    ],
  },
  Finish: {
    payload: (id) => ({
      executionId: id,
      outcome: 'FAILED',
      duplicateOf: 'other',
      state: { error: { Error: 'GateFailed', Cause: 'x' }, rollback: { mode: 'rollback' } },
    }),
    fields: [
      idField,
      { path: ['outcome'], wrong: notIn(['SUCCEEDED', 'FAILED', 'DUPLICATE', 'SKIPPED']), required: true },
      { path: ['duplicateOf'], wrong: fc.oneof(notString, fc.constant('')), required: false },
      { path: ['state'], wrong: fc.constantFrom(null, 'x', 1, []), required: false },
      { path: ['state', 'error'], wrong: fc.constantFrom(null, 'x', 1, [], {}), required: false },
      { path: ['state', 'error', 'Error'], wrong: notString, required: true },
      { path: ['state', 'rollback'], wrong: fc.constantFrom(null, 'x', 1, []), required: false },
    ],
  },
};

/** Sets (or, with `undefined`, deletes) the value at `path` of a copy of `payload`. */
const withValue = (payload: Record<string, unknown>, path: readonly string[], value: unknown) => {
  const copy = structuredClone(payload);
  let parent = copy as Record<string, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  const last = path[path.length - 1] as string;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
};

const malformed = fc.constantFrom(...Object.keys(TASKS)).chain((fn) => {
  const task = TASKS[fn] as (typeof TASKS)[string];
  return fc
    .constantFrom(...task.fields)
    .chain((field) =>
      fc
        .oneof(field.wrong, field.required ? fc.constant(undefined) : field.wrong)
        .map((value) => ({ fn, field: field.path, value })),
    );
});

/** The workflow state Finish gets on the failure path: the caught error, the rollback's report, a rollback error. */
const caught = fc.oneof(
  fc.record({
    Error: fc.oneof(fc.constantFrom('GateFailed', 'States.Timeout'), fc.string()),
    Cause: anyValue,
  }),
  anyValue,
);
const finishState = fc.record(
  {
    error: caught,
    rollbackError: caught,
    rollback: fc.oneof(
      fc.record(
        {
          mode: fc.oneof(fc.constantFrom('rollback', 'hold', 'skipped', 'nothing-written'), anyValue),
          reason: anyValue,
          appliedStepIndex: fc.oneof(fc.integer({ min: -1, max: 5 }), anyValue),
          restored: anyValue,
          alreadyAtSnapshot: anyValue,
          leftAsFound: fc.oneof(fc.array(fc.string(), { maxLength: 3 }), anyValue),
        },
        { requiredKeys: [] },
      ),
      anyValue,
    ),
    action: anyValue,
    cluster: anyValue,
    requestedBy: anyValue,
    reason: anyValue,
  },
  { requiredKeys: [] },
);

describe('workflow tasks, fuzzed', () => {
  it('refuse a payload with one field missing or mistyped with InvalidRequest naming it, and write nothing', async () => {
    const executionId = await lockedDrain();
    await fc.assert(
      fc.asyncProperty(malformed, async ({ fn, field, value }) => {
        // Prepare
        const payload = withValue((TASKS[fn] as (typeof TASKS)[string]).payload(executionId), field, value);
        const before = worldState();

        // Act
        const outcome = await outcomeOf(harness.invoke(fn, payload));

        // Assert
        expect({ fn, payload, ok: outcome.ok }).toEqual({ fn, payload, ok: false });
        if (outcome.ok) return;
        expectTyped(outcome.error);
        expect(outcome.error.name).toBe('InvalidRequest');
        const paths = issuesOf(outcome.error).map((issue) => issue.path);
        const dotted = field.join('.');
        expect({ paths, named: paths.some((path) => path.startsWith(dotted)) }).toEqual({
          paths,
          named: true,
        });
        expectNothingWritten(before);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('answer any payload, for a real execution or not, with a result or a typed error; an InvalidRequest writes nothing', async () => {
    let executionId = await lockedDrain();
    const payloadOf = fc.constantFrom(...Object.keys(TASKS)).chain((fn) =>
      fc
        .record(
          {
            executionId: fc.oneof(fc.constant('current'), fc.constantFrom('unknown-execution', ''), anyValue),
            stepIndex: fc.oneof(fc.integer({ min: 0, max: 30 }), anyValue),
            phase: fc.oneof(fc.constantFrom('before-step', 'bake'), anyValue),
            checks: fc.oneof(fc.integer({ min: 0, max: 30 }), anyValue),
            bakeChecks: fc.oneof(fc.integer({ min: 0, max: 30 }), anyValue),
            checkIntervalSeconds: fc.oneof(fc.integer({ min: 1, max: 3_600 }), anyValue),
            attempt: fc.oneof(fc.integer({ min: 0, max: 1_000 }), anyValue),
            kind: fc.oneof(fc.constantFrom('started', 'step'), anyValue),
            outcome: fc.oneof(fc.constantFrom('SUCCEEDED', 'FAILED', 'DUPLICATE', 'SKIPPED'), anyValue),
            error: fc.oneof(fc.record({ Error: fc.oneof(fc.string(), anyValue), Cause: anyValue }), anyValue),
            state: fc.oneof(
              finishState,
              fc.dictionary(fc.string({ maxLength: 8 }), anyValue, { maxKeys: 3 }),
              anyValue,
            ),
          },
          { requiredKeys: ['executionId'] },
        )
        .map((payload) => ({ fn, payload })),
    );
    await fc.assert(
      fc.asyncProperty(payloadOf, async ({ fn, payload }) => {
        // Prepare
        const event: Record<string, unknown> =
          payload.executionId === 'current' ? { ...payload, executionId } : { ...payload };
        // A step past the plan has a test of its own below: here ApplyStep gets the plan's steps (4).
        if (fn === 'ApplyStep' && Number.isSafeInteger(event.stepIndex) && (event.stepIndex as number) >= 0) {
          event.stepIndex = (event.stepIndex as number) % 4;
        }
        const before = worldState();

        // Act
        const outcome = await outcomeOf(harness.invoke(fn, event));

        // Assert
        if (!outcome.ok) {
          expectTyped(outcome.error, { fn, event });
          if (outcome.error.name === 'InvalidRequest') expectNothingWritten(before);
        }
        // A run that ended the shift (Finish, a rollback) leaves no lock: start the next one.
        if ((await (await harness.store()).getLock()) === undefined) executionId = await lockedDrain();
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('step indexes past the plan, fuzzed', () => {
  it('refuse ApplyStep, CheckGates and Notify with a typed error naming stepIndex, and write nothing', async () => {
    const executionId = await lockedDrain();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('ApplyStep', 'CheckGates', 'Notify'),
        fc.oneof(fc.integer({ min: 4, max: 1_000 }), fc.constant(Number.MAX_SAFE_INTEGER)),
        async (fn, stepIndex) => {
          // Prepare: the drain has 4 steps (0-3)
          const payload = { ...(TASKS[fn] as (typeof TASKS)[string]).payload(executionId), stepIndex };
          const before = worldState();

          // Act
          const outcome = await outcomeOf(harness.invoke(fn, payload));

          // Assert
          if (outcome.ok) return;
          expectTyped(outcome.error, { fn, payload });
          expect(outcome.error.message).toContain('step');
          expectNothingWritten(before);
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });
});

const sample = JSON.parse(readFileSync(join(__dirname, '../../events/execution-failed.json'), 'utf8')) as {
  detail: Record<string, unknown>;
} & Record<string, unknown>;

describe('execution-ended, fuzzed', () => {
  it('cleans up only after this fleet’s execution that ended outside its catch; any other event writes nothing', async () => {
    let executionId = await lockedDrain();
    const machine = () => `arn:aws:states:eu-west-1:123456789012:stateMachine:clustershift-${harness.fleet}`;
    const eventOf = fc.record(
      {
        source: fc.oneof(fc.constant('aws.states'), anyValue),
        detailType: fc.oneof(fc.constant('Step Functions Execution Status Change'), anyValue),
        time: fc.oneof(fc.constant('2026-11-23T10:00:00Z'), anyValue),
        executionArn: fc.oneof(fc.constant('current'), fc.constantFrom('other', ''), anyValue),
        stateMachineArn: fc.oneof(
          fc.constant('this'),
          fc.constantFrom(
            'arn:aws:states:eu-west-1:123456789012:stateMachine:clustershift-other',
            'arn:aws:states:eu-west-1:123456789012:stateMachine:clustershift-test-1-suffix',
            '',
          ),
          anyValue,
        ),
        status: fc.oneof(
          fc.constantFrom(
            'FAILED',
            'TIMED_OUT',
            'ABORTED',
            'SUCCEEDED',
            'RUNNING',
            'PENDING_REDRIVE',
            'failed',
            '',
          ),
          anyValue,
        ),
        error: fc.oneof(fc.constantFrom(null, 'States.Timeout'), anyValue),
        cause: fc.oneof(fc.constantFrom(null, 'x'.repeat(5_000)), freeText, anyValue),
        extra: anyValue,
      },
      { requiredKeys: ['executionArn', 'stateMachineArn', 'status'] },
    );
    await fc.assert(
      fc.asyncProperty(eventOf, fc.boolean(), async (fields, dropDetail) => {
        // Prepare
        const detail: Record<string, unknown> = { ...sample.detail };
        for (const key of ['executionArn', 'stateMachineArn', 'status', 'error', 'cause'] as const) {
          if (key in fields) detail[key] = fields[key];
        }
        if (detail.executionArn === 'current') detail.executionArn = executionId;
        if (detail.stateMachineArn === 'this') detail.stateMachineArn = machine();
        const event: Record<string, unknown> = {
          ...sample,
          ...('source' in fields ? { source: fields.source } : {}),
          ...('detailType' in fields ? { 'detail-type': fields.detailType } : {}),
          ...('time' in fields ? { time: fields.time } : {}),
          ...('extra' in fields ? { extra: fields.extra } : {}),
          ...(dropDetail ? {} : { detail }),
        };
        if (dropDetail) delete event.detail;
        const cleansUp =
          !dropDetail &&
          event.source === 'aws.states' &&
          event['detail-type'] === 'Step Functions Execution Status Change' &&
          typeof event.time === 'string' &&
          detail.executionArn === executionId &&
          detail.stateMachineArn === machine() &&
          ['FAILED', 'TIMED_OUT', 'ABORTED'].includes(detail.status as string) &&
          (detail.error === undefined || detail.error === null || typeof detail.error === 'string') &&
          (detail.cause === undefined || detail.cause === null || typeof detail.cause === 'string');
        const before = worldState();

        // Act
        const outcome = await outcomeOf(executionEnded(event, { functionName: 'execution-ended' }));

        // Assert
        if (!outcome.ok) {
          expectTyped(outcome.error);
          expect(outcome.error.name).toBe('InvalidRequest');
        }
        if (cleansUp) {
          expect(outcome).toMatchObject({ ok: true, value: { outcome: 'cleaned-up', lockReleased: true } });
          executionId = await lockedDrain();
        } else {
          expectNothingWritten(before);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
