import { E2eTwin, outcome, type RouteWeights, seedWeights, startedArn } from '../support/e2e';

jest.setTimeout(60_000);

const GATE_ALARM = 'demo-alb-5xx';
const EDITED_ROUTE = 'svc-e.demo.example.com';

let e2e: E2eTwin;
let baseline: RouteWeights;

beforeAll(async () => {
  e2e = await E2eTwin.start();
  baseline = seedWeights();
});
afterAll(async () => {
  await e2e?.close();
});
// Each scenario leaves the fleet as it found it: alarm OK, every route at the seed's weights.
afterEach(async () => {
  await e2e.setAlarm(GATE_ALARM, 'OK');
  const now = await e2e.routeWeights();
  for (const [route, weights] of Object.entries(baseline)) {
    if (JSON.stringify(now[route]) !== JSON.stringify(weights)) await e2e.setRouteWeights(route, weights);
  }
});

const startDrain = async (): Promise<string> => {
  const started = await e2e.cli([
    'drain',
    'blue',
    '--force',
    'single-cluster-route',
    '--reason',
    'e2e rollback',
    '--json',
  ]);
  expect(outcome(started)).toMatchObject({ code: 0 });
  return startedArn(started);
};

describe('rollback on the twin (demo fleet, real handlers and ASL, no mocks)', () => {
  it('rolls every route back to its snapshot when the gate alarm goes to ALARM mid-bake', async () => {
    // Prepare
    const executionArn = await startDrain();
    await e2e.firstStepWritten();

    // Act: CloudWatch, as another client, raises the fleet's gate alarm during the bake
    await e2e.setAlarm(GATE_ALARM, 'ALARM');
    const end = await e2e.ended(executionArn);

    // Assert
    expect({ status: end.status, error: end.error }).toEqual({ status: 'FAILED', error: 'GateFailed' });
    expect(end.cause).toContain(GATE_ALARM);
    expect(end.cause).toContain('rolled back: 9 routes restored to their snapshot');
    expect(await e2e.routeWeights()).toEqual(baseline);
    const status = await e2e.cliJson<{ lock: unknown; running: unknown[] }>(['status']);
    expect(status.data).toMatchObject({ lock: null, running: [] });
    const [record] = await e2e.history();
    expect(record).toMatchObject({ executionId: executionArn, status: 'FAILED', error: 'GateFailed' });
    expect(record?.steps.some((s) => s.kind === 'rollback')).toBe(true);
  });

  it('halts with DriftDetected when another client edits a route mid-bake, leaving that route as it was set', async () => {
    // Prepare
    const executionArn = await startDrain();
    await e2e.firstStepWritten();

    // Act: another client moves one route's weights during the bake
    await e2e.setRouteWeights(EDITED_ROUTE, { 'blue-svc-e': 1, 'green-svc-e': 99 });
    const end = await e2e.ended(executionArn);

    // Assert: that route as the other client left it, every other one back at its snapshot
    expect({ status: end.status, error: end.error }).toEqual({ status: 'FAILED', error: 'DriftDetected' });
    expect(end.cause).toMatch(
      /rolled back: 8 routes restored .* left as found \(changed by someone else\): svc-e\.demo\.example\.com/,
    );
    const weights = await e2e.routeWeights();
    expect(weights[EDITED_ROUTE]).toEqual({ 'blue-svc-e': 1, 'green-svc-e': 99 });
    expect({ ...weights, [EDITED_ROUTE]: baseline[EDITED_ROUTE] }).toEqual(baseline);
    expect((await e2e.cliJson<{ lock: unknown }>(['status'])).data.lock).toBeNull();
  });
});
