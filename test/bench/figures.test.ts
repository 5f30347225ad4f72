import { figuresOf, figureValues } from '../../bench/figures';
import type { BenchResults } from '../../bench/results';

const failoverRun = (routes: number, ratio: number) => ({
  routes,
  measuredMs: 1000 * ratio,
  firstWriteMs: 500,
  floorMs: 1000,
  ratio,
  writes: routes,
  throttled: 0,
  controllerCalls: 120,
  controllerThrottled: 0,
  controllersIdle: { ms: 15_000, calls: 33, throttled: 0 },
  failedExecutions: 0,
  exposure: 1200,
  optimumExposure: 1000,
  optimumExposureSameStart: 1100,
  exposureRatio: 1.2,
  exposureRatioSameStart: 1.09,
});

const window = (throttled: number) => ({
  twinMs: 60_000,
  describes: 120,
  describesThrottled: throttled,
  registrations: 24,
  registrationsThrottled: 0,
});
const drainRun = (routes: number, perRoutePerStep: number): BenchResults['fleet']['drains'][number] => ({
  mode: 'drain',
  routes,
  loadBalancers: Math.ceil(routes / 100),
  steps: 4,
  timeScale: 20,
  lambdaTimeouts: 'real',
  status: 'SUCCEEDED',
  drained: true,
  twinMs: 900_000,
  lastWriteMs: 800_000,
  writes: routes * 4,
  elbv2Calls: Math.round(routes * 4 * perRoutePerStep),
  elbv2CallsPerRoutePerStep: perRoutePerStep,
  elbv2CallsByOperation: { ModifyRule: routes * 4 },
  elbv2CallsPerRoutePerStepByOperation: { ModifyRule: 1 },
  elbv2Throttled: {},
  controllersDuringShift: window(0),
  controllersIdle: window(0),
  history: {
    events: 291,
    largestPayloadBytes: 5200,
    largestPayloadState: 'FinishSucceeded',
    applyStepInvocations: 4,
    rollbackInvocations: 0,
  },
});

const results = (): BenchResults => ({
  measuredAt: '2026-11-24T00:00:00.000Z',
  node: 'v20.20.2',
  bundles: [{ function: 'prepare', bytes: 307_200, coldLoadMs: 45.6 }],
  fleet: {
    drains: [drainRun(100, 1.08), drainRun(500, 1.05)],
  },
  chat: { coldMs: 210, warmMedianMs: 16, warmP95Ms: 101, runs: 30 },
  failover: {
    latencyMs: 50,
    mutatingBucket: { capacity: 20, refillPerSecond: 3 },
    describeBucket: { capacity: 40, refillPerSecond: 10 },
    controllers: 2,
    controllerDescribesPerSecond: 1,
    runs: [failoverRun(10, 2.64), failoverRun(100, 1.42), failoverRun(500, 1.28)],
  },
  npmStart: { wallSeconds: 25.1, scenario: 'drain', synthCacheWarm: true },
  npmTest: { wallSeconds: 361, passed: 1988, failed: 0, skipped: 0, exitCode: 0, measuredAt: 'x' },
  twinThroughput: {
    routes: 500,
    concurrency: 16,
    durationMs: 5000,
    loads: [
      { load: 'read', requests: 750, requestsPerSecond: 150, p50Ms: 100, p95Ms: 130, errors: 0 },
      { load: 'write', requests: 2900, requestsPerSecond: 580, p50Ms: 26, p95Ms: 38, errors: 0 },
    ],
  },
  budgets: { ok: 0, over: 0 },
});

describe('figuresOf', () => {
  it('gives every figure a key of its own', () => {
    // Act
    const keys = figuresOf(results()).map((figure) => figure.key);

    // Assert
    expect(keys.length).toBe(37);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('holds the failover ratio to its budget at 100 and 500 routes only', () => {
    // Act
    const ratios = figuresOf(results()).filter((figure) => figure.key.endsWith('.ratioUnderAwsLimits'));

    // Assert
    expect(ratios.map((figure) => [figure.key, figure.budget?.limit])).toEqual([
      ['failover.10.ratioUnderAwsLimits', undefined],
      ['failover.100.ratioUnderAwsLimits', 1.2],
      ['failover.500.ratioUnderAwsLimits', 1.2],
    ]);
  });

  it('holds the requests left on the sick cluster to 1.15 times the optimum at 100 and 500 routes', () => {
    // Act
    const exposure = figuresOf(results()).filter((figure) => figure.key.includes('.exposureRatio'));

    // Assert
    expect(exposure.map((figure) => [figure.key, figure.budget?.limit])).toEqual([
      ['failover.10.exposureRatio', undefined],
      ['failover.10.exposureRatioSameStart', undefined],
      ['failover.100.exposureRatio', 1.15],
      ['failover.100.exposureRatioSameStart', 1.15],
      ['failover.500.exposureRatio', 1.15],
      ['failover.500.exposureRatioSameStart', 1.15],
    ]);
  });

  it('holds the ELBv2 calls of a drain to 1.2 per route per step at 100 and 500 routes', () => {
    const calls = figuresOf(results()).filter((figure) => figure.key.endsWith('.elbv2PerRoutePerStepOnTwin'));

    expect(calls.map((figure) => [figure.key, figure.budget?.limit])).toEqual([
      ['drain.100.elbv2PerRoutePerStepOnTwin', 1.2],
      ['drain.500.elbv2PerRoutePerStepOnTwin', 1.2],
    ]);
  });

  it('measures bundles in KB of 1,024 bytes, under a 300 KB budget', () => {
    // Act
    const bundle = figuresOf(results()).find((figure) => figure.key === 'bundle.prepare.kb');

    // Assert
    expect(bundle).toMatchObject({ value: 300, budget: { limit: 300, strict: true } });
  });

  it('counts twin requests per second as better when higher and latencies as better when lower', () => {
    // Act
    const twin = figuresOf(results()).filter((figure) => figure.key.startsWith('twin.read.'));

    // Assert
    expect(twin.map((figure) => [figure.key, figure.value, figure.better])).toEqual([
      ['twin.read.rps', 150, 'higher'],
      ['twin.read.p50Ms', 100, 'lower'],
      ['twin.read.p95Ms', 130, 'lower'],
    ]);
  });

  it('marks npm test figures taken over from the previous run as reused', () => {
    // Prepare
    const input = results();
    const reused = { ...input, npmTest: { ...(input.npmTest ?? ({} as never)), reused: true } };

    // Act
    const tests = figuresOf(reused).filter((figure) => figure.key.startsWith('npmTest.'));

    // Assert
    expect(tests.map((figure) => figure.reused)).toEqual([true, true, true]);
  });

  it('says in the npm start label whether the synthesized stack was cached', () => {
    // Prepare
    const cold = {
      ...results(),
      npmStart: { wallSeconds: 35, scenario: 'drain' as const, synthCacheWarm: false },
    };

    // Act
    const start = figuresOf(cold).find((figure) => figure.key === 'npmStart.s');

    // Assert
    expect(start?.label).toBe('npm start, s (synth cold)');
  });

  it('reads an older results file, without the newer sections, for the figures it has', () => {
    // Prepare
    const { bundles, chat, failover } = results();

    // Act
    const keys = figuresOf({ bundles, chat, failover }).map((figure) => figure.key);

    // Assert
    expect(keys.some((key) => key.startsWith('npm') || key.startsWith('twin.'))).toBe(false);
    expect(keys).toContain('chat.coldMs');
  });
});

describe('figureValues', () => {
  it('keeps each figure value under its key', () => {
    // Act
    const values = figureValues(figuresOf(results()));

    // Assert
    expect(values).toMatchObject({
      'failover.500.msUnderAwsLimits': 1280,
      'drain.100.elbv2PerRoutePerStepOnTwin': 1.08,
      'npmTest.passed': 1988,
    });
  });
});
