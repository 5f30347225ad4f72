import {
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import {
  BLUE_ONLY_ROUTE,
  clusterWeight,
  E2eTwin,
  outcome,
  seedWeights,
  sleep,
  startedArn,
} from '../support/e2e';

jest.setTimeout(60_000);

const DRAIN = ['drain', 'blue', '--force', 'single-cluster-route', '--reason', 'e2e control'];

let e2e: E2eTwin;

beforeAll(async () => {
  e2e = await E2eTwin.start();
});
afterAll(async () => {
  await e2e?.close();
});

const executionCount = async (stateMachineArn: string): Promise<number> =>
  (await e2e.sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 100 }))).executions?.length ??
  0;

/** The states an execution entered, in order, from GetExecutionHistory. */
const statesEntered = async (executionArn: string): Promise<string[]> => {
  const history = await e2e.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return (history.events ?? []).flatMap((event) =>
    event.stateEnteredEventDetails?.name === undefined ? [] : [event.stateEnteredEventDetails.name],
  );
};

describe('the fleet lock and operator control on the twin (demo fleet, no mocks)', () => {
  // Runs first: it leaves the fleet at the seed (the holder is aborted and rolled back).
  it('lets one of two drains started at once take the lock; the other fails LockHeld and writes nothing', async () => {
    // Prepare
    const baseline = seedWeights();
    const stateMachineArn = await e2e.stateMachineArn();
    const input = JSON.stringify({
      action: 'drain',
      cluster: 'blue',
      reason: 'e2e race',
      requestedBy: 'cli:e2e',
      force: ['single-cluster-route'],
    });

    // Act: two StartExecution calls at once, as two operators might
    const started = await Promise.all(
      ['race-a', 'race-b'].map((name) =>
        e2e.sfn.send(new StartExecutionCommand({ stateMachineArn, name, input })),
      ),
    );
    const arns = started.map((s) => s.executionArn ?? '');
    let loser = '';
    await e2e.until('one of the two drains to end', async () => {
      for (const arn of arns) if ((await e2e.execution(arn)).status !== 'RUNNING') loser = arn;
      return loser !== '';
    });
    const holder = arns.find((arn) => arn !== loser) ?? '';

    // Assert: the loser failed on the lock, naming the holder, before any write
    const lost = await e2e.execution(loser);
    expect({ status: lost.status, error: lost.error }).toEqual({ status: 'FAILED', error: 'LockHeld' });
    expect(lost.cause).toContain(holder);
    expect(lost.cause).toMatch(/nothing was written$/);
    expect((await e2e.execution(holder)).status).toBe('RUNNING');
    const entered = await statesEntered(loser);
    expect(entered).toContain('Lock');
    expect(entered).not.toContain('Steps');
    const lostRecord = (await e2e.history()).find((r) => r.executionId === loser);
    expect(lostRecord?.steps ?? []).toEqual([]);

    // Act: a drain from the CLI while the holder runs
    await e2e.firstStepWritten();
    const before = await executionCount(stateMachineArn);
    const refused = await e2e.cli(DRAIN);

    // Assert: refused before starting anything
    expect(outcome(refused)).toMatchObject({ code: 1 });
    expect(refused.stderr).toContain(`LockHeld: fleet demo is locked by ${holder}`);
    expect(refused.stderr).toContain('nothing was started');
    expect(await executionCount(stateMachineArn)).toBe(before);

    // Cleanup: abort the holder, which rolls back to the seed
    expect(outcome(await e2e.cli(['abort', '--execution', holder, '--reason', 'e2e cleanup']))).toMatchObject(
      {
        code: 0,
      },
    );
    expect((await e2e.ended(holder)).error).toBe('Aborted');
    expect(await e2e.routeWeights()).toEqual(baseline);
  });

  // Runs last: it leaves blue drained (the twin is not reused).
  it('holds a paused drain on its step while twin time passes, and completes it after resume', async () => {
    // Prepare
    const started = await e2e.cli([...DRAIN, '--json']);
    expect(outcome(started)).toMatchObject({ code: 0 });
    const executionArn = startedArn(started);
    await e2e.firstStepWritten();

    // Act: pause, and let the workflow's gate checks (every 0.5 s real) see it
    const paused = await e2e.cliJson<Record<string, unknown>>(['pause']);
    expect(paused).toMatchObject({ code: 0, data: { executionArn, paused: true } });
    await sleep(2_000);
    const held = await e2e.routeWeights();
    // Three real seconds are 180 twin seconds: longer than the 120 s bake.
    await sleep(3_000);

    // Assert: nothing moved, still running, the lock says paused
    expect(await e2e.routeWeights()).toEqual(held);
    expect((await e2e.execution(executionArn)).status).toBe('RUNNING');
    const status = await e2e.cliJson<{ lock: { executionId: string; paused: boolean } | null }>(['status']);
    expect(status.data.lock).toMatchObject({ executionId: executionArn, paused: true });

    // Act: resume
    const resumed = await e2e.cliJson<Record<string, unknown>>(['resume']);
    expect(resumed).toMatchObject({ code: 0, data: { executionArn, paused: false } });
    const end = await e2e.ended(executionArn);

    // Assert: the drain went on to the end
    expect({ status: end.status, error: end.error }).toEqual({ status: 'SUCCEEDED', error: undefined });
    const drained = await e2e.routeWeights();
    for (const [route, weights] of Object.entries(drained)) {
      if (route !== BLUE_ONLY_ROUTE)
        expect({ route, blue: clusterWeight(weights, 'blue') }).toEqual({ route, blue: 0 });
    }
  });
});
