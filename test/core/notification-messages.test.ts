import { renderText, startedNotification, stepNotification } from '../../core/notification';
import { started, step, storedDrain } from './notification-fixtures';

const unavailableGates = { status: 'unavailable', why: 'AwsCallFailed: DescribeAlarms failed' } as const;

describe('the start message', () => {
  it('says who started what and why, and the plan: steps, bake, routes, weights now and at the end', () => {
    // Act
    const { subject, text } = renderText(
      started({ pauseBeforeSteps: [1, 2], forced: ['single-cluster-route'] }),
    );

    // Assert
    expect(subject).toBe('clustershift prod: drain blue started');
    expect(text.split('\n')).toEqual(
      expect.arrayContaining([
        'requested by: cli:alice — operator alice via the CLI',
        'reason: node upgrade',
        'cluster: blue',
        'plan: 4 steps (25 %, 50 %, 75 %, 100 %), bake 300 s after each',
        'routes: 2 change, 1 unchanged, 0 held',
        'weights now: blue 50 %, green 50 %',
        'target weights: blue 0 %, green 100 %',
        'approval: needed before step 2, 3',
        'forced: single-cluster-route',
        'routes changing:',
        '  - api.example.com: blue=50 green=50 → blue=0 green=100',
      ]),
    );
  });

  it('lists at most ten routes and counts the rest once, with those the plan summary left out', () => {
    // Prepare
    const routes = Array.from({ length: 12 }, (_, i) => ({
      name: `svc${i}`,
      before: 'blue=1',
      after: 'blue=0',
    }));

    // Act
    const { text } = renderText(started({ routes, routesOmitted: 5 }));

    // Assert
    expect(text).toContain('  - svc9: blue=1 → blue=0');
    expect(text).not.toContain('svc10');
    expect(text).toContain('  - svc9: blue=1 → blue=0\n  - … and 7 more\n');
  });

  it('is built from the stored plan with the fleet shares before and at the end', () => {
    // Act
    const notification = startedNotification('prod', ['blue', 'green'], storedDrain());

    // Assert
    expect(notification).toMatchObject({
      kind: 'started',
      action: 'drain',
      cluster: 'blue',
      requestedBy: 'cli:arn:aws:sts::123456789012:assumed-role/Admin/alice',
      plan: {
        steps: [0.25, 0.5, 0.75, 1],
        routesChanging: 2,
        sharesBefore: { blue: 0.5, green: 0.5 },
        sharesTarget: { blue: 0, green: 1 },
        routes: [
          { name: 'api.example.com', before: 'blue=50 green=50', after: 'blue=0 green=100' },
          { name: 'web.example.com', before: 'blue=50 green=50', after: 'blue=0 green=100' },
        ],
      },
    });
    expect(renderText(notification).text).toContain(
      'requested by: cli:arn:aws:sts::123456789012:assumed-role/Admin/alice — operator alice via the CLI',
    );
  });
});

describe('the step message', () => {
  it('says step k/n, the weights, the observed share, each gate alarm with its state, and what comes next', () => {
    // Act
    const { subject, text } = renderText(step());

    // Assert
    expect(subject).toBe('clustershift prod: drain blue: step 2/4 applied and baked');
    expect(text.split('\n')).toEqual(
      expect.arrayContaining([
        'requested by: cli:alice — operator alice via the CLI',
        'cluster: blue',
        'step: 2/4 (50 % of the way)',
        'weights: blue 25 %, green 75 %',
        'observed: blue 24 %, green 76 % of 1200 requests over 4 min',
        'gates: all OK: fleet-latency, green-5xx',
        'next: step 3/4',
      ]),
    );
  });

  it('names the alarms that are not OK first', () => {
    const gates = {
      status: 'read',
      alarms: [
        { name: 'fleet-latency', state: 'OK' },
        { name: 'green-5xx', state: 'ALARM' },
        { name: 'gone', state: 'NOT FOUND' },
      ],
    } as const;
    expect(renderText(step({ gates })).text).toContain(
      'gates: green-5xx ALARM, gone NOT FOUND; OK: fleet-latency',
    );
  });

  it.each([
    [
      {
        status: 'not-measured',
        why: 'less than a full minute of metrics since the step was written',
      } as const,
      'observed: not measured yet (less than a full minute of metrics since the step was written)',
    ],
    [
      { status: 'unavailable', why: 'AwsCallFailed: GetMetricData failed' } as const,
      'observed: unavailable (AwsCallFailed: GetMetricData failed)',
    ],
  ])('says so when the share could not be measured: %o', (observed, line) => {
    expect(renderText(step({ observed })).text).toContain(line);
  });

  it('says the gates are unavailable when they could not be read, and still goes out', () => {
    expect(renderText(step({ gates: unavailableGates })).text).toContain(
      'gates: unavailable (AwsCallFailed: DescribeAlarms failed)',
    );
  });

  it('says when the next step waits for approval, and when this was the last one', () => {
    expect(renderText(step({ nextStepAwaitsApproval: true })).text).toContain(
      'next: step 3/4 waits for approval (Approve next step, or clustershift approve --execution drain-blue-1700000000)',
    );
    const last = renderText(step({ step: { index: 3, total: 4, fraction: 1 }, bakeSeconds: 0 }));
    expect(last.subject).toBe('clustershift prod: drain blue: step 4/4 applied');
    expect(last.text).toContain('next: none: this was the last step');
  });

  it('is built from the stored plan: the fleet shares after the step, the readings as given', () => {
    // Act
    const notification = stepNotification(
      'prod',
      ['blue', 'green'],
      storedDrain({ pauseBeforeSteps: [2] }),
      1,
      {
        observed: { status: 'not-measured', why: 'too soon' },
        gates: unavailableGates,
        approvedThroughStep: -1,
      },
    );

    // Assert
    expect(notification).toMatchObject({
      kind: 'step',
      step: { index: 1, total: 4, fraction: 0.5 },
      shares: { blue: 0.25, green: 0.75 },
      observed: { status: 'not-measured' },
      gates: unavailableGates,
      nextStepAwaitsApproval: true,
    });
  });

  it('does not ask for an approval an operator already gave, nor past the last step', () => {
    const shift = storedDrain({ pauseBeforeSteps: [2] });
    const readings = { observed: { status: 'not-measured', why: '' } as const, gates: unavailableGates };
    expect(
      stepNotification('prod', ['blue'], shift, 1, { ...readings, approvedThroughStep: 2 })
        .nextStepAwaitsApproval,
    ).toBe(false);
    expect(
      stepNotification('prod', ['blue'], storedDrain({ pauseBeforeSteps: [3] }), 3, {
        ...readings,
        approvedThroughStep: -1,
      }).nextStepAwaitsApproval,
    ).toBe(false);
  });
});
