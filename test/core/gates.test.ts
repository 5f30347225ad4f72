import { evaluateGates, type GateInput, gateAlarmNames, gateError } from '../../core/gates';
import { config } from './fixtures';

const cfg = config(['blue', 'green']);
const base: GateInput = {
  config: cfg,
  phase: 'bake',
  stepIndex: 1,
  pauseBeforeSteps: [],
  checkGateAlarms: true,
  receivingClusters: new Set(['green']),
  receivingTargetGroups: new Map([['tg-green', 'api → green']]),
  alarms: new Map([
    ['fleet-latency', 'OK'],
    ['green-5xx', 'OK'],
  ]),
  health: new Map([['tg-green', { healthy: 3, total: 3 }]]),
  control: { paused: false, aborted: false, approvedThroughStep: -1 },
  drifted: [],
};

describe('gates', () => {
  it('pass when alarms are OK, receivers healthy, no flags and no drift', () => {
    expect(evaluateGates(base)).toEqual({ ok: true, paused: false, failures: [] });
  });

  it('fail with GateFailed when a gate alarm fires', () => {
    const result = evaluateGates({ ...base, alarms: new Map([['fleet-latency', 'ALARM']]) });
    expect(gateError(result)).toMatchObject({
      name: 'GateFailed',
      message: expect.stringContaining('fleet-latency'),
    });
  });

  it('ignore fleet gate alarms when told to (a failover)', () => {
    expect(
      evaluateGates({ ...base, checkGateAlarms: false, alarms: new Map([['fleet-latency', 'ALARM']]) }).ok,
    ).toBe(true);
    expect(gateAlarmNames(cfg, new Set(['green']), false)).toEqual(['green-5xx']);
  });

  it('fail when a receiving cluster alarms or a receiver loses its healthy targets', () => {
    expect(gateError(evaluateGates({ ...base, alarms: new Map([['green-5xx', 'ALARM']]) }))?.message).toMatch(
      /green health alarms/,
    );
    expect(
      gateError(evaluateGates({ ...base, health: new Map([['tg-green', { healthy: 0, total: 3 }]]) }))
        ?.message,
    ).toMatch(/api → green \(0\/3 healthy\)/);
  });

  it('say where a failing receiver’s health figure came from and as of when', () => {
    // Prepare
    const health = new Map([
      [
        'tg-green',
        { healthy: 2, total: 5, source: 'cloudwatch' as const, at: new Date('2026-11-23T12:03:00Z') },
      ],
    ]);

    // Act
    const error = gateError(evaluateGates({ ...base, health }));

    // Assert
    expect(error?.message).toContain('api → green (2/5 healthy, CloudWatch 12:03 UTC)');
  });

  it('fail a receiver whose health is unknown (neither CloudWatch nor a live read answered)', () => {
    // Act
    const error = gateError(evaluateGates({ ...base, health: new Map() }));

    // Assert
    expect(error).toMatchObject({
      name: 'GateFailed',
      message: expect.stringContaining('api → green (health unknown)'),
    });
  });

  it('abort wins over every other failure', () => {
    const result = evaluateGates({
      ...base,
      control: { ...base.control, aborted: true },
      alarms: new Map([['fleet-latency', 'ALARM']]),
    });
    expect(gateError(result)?.name).toBe('Aborted');
  });

  it('report drift as DriftDetected naming the route', () => {
    const result = evaluateGates({
      ...base,
      drifted: [{ id: 'r', name: 'api.example.com', expected: {}, live: {} }],
    });
    expect(gateError(result)).toMatchObject({
      name: 'DriftDetected',
      message: expect.stringContaining('api.example.com'),
    });
  });

  it('hold before a pause-before step until it is approved', () => {
    const input = { ...base, phase: 'before-step' as const, stepIndex: 2, pauseBeforeSteps: [2] };
    expect(evaluateGates(input)).toMatchObject({
      ok: true,
      paused: true,
      pauseReason: 'waiting for approval before step 3',
    });
    expect(evaluateGates({ ...input, control: { ...base.control, approvedThroughStep: 2 } }).paused).toBe(
      false,
    );
  });

  it('hold while an operator pause is set', () => {
    expect(evaluateGates({ ...base, control: { ...base.control, paused: true } })).toMatchObject({
      paused: true,
      pauseReason: 'paused by an operator',
    });
  });
});
