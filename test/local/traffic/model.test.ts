import { TrafficModel } from '../../../local/traffic/model';
import {
  albQuery,
  FakeElbv2,
  frozenClock,
  lbDimension,
  MINUTE,
  points,
  requestCounts,
  SECOND,
  sumOf,
  T0,
  targetGroupArn,
  tgDimension,
} from './fixtures';

/** A twin at T0 with blue and green target groups of `svc1` behind the `shop` load balancer. */
const setup = (options: { targets?: number; ratePerRoute?: number } = {}) => {
  const clock = frozenClock();
  const elbv2 = new FakeElbv2(clock);
  elbv2.addTargetGroup('blue-svc1', { cluster: 'blue', targets: options.targets });
  elbv2.addTargetGroup('green-svc1', { cluster: 'green', targets: options.targets });
  const model = new TrafficModel({ clock, elbv2, ratePerRoute: options.ratePerRoute ?? 20 });
  return { clock, elbv2, model };
};

const shop = lbDimension('shop');
const blue = tgDimension('blue-svc1');
const green = tgDimension('green-svc1');

describe('TrafficModel requestsServed', () => {
  it('counts the requests a target group received between two instants, exactly, across a weight change', () => {
    // Prepare: 20 req/s split 50/50 for 10 s, then blue drained.
    const { clock, elbv2, model } = setup();
    const route = elbv2.addRoute('svc1', { 'blue-svc1': 50, 'green-svc1': 50 });
    clock.advance(10 * SECOND);
    elbv2.setWeights(route, { 'blue-svc1': 0, 'green-svc1': 100 });
    clock.advance(10 * SECOND);

    // Act
    const blueServed = model.requestsServed(targetGroupArn('blue-svc1'), T0 + 5 * SECOND, T0 + 20 * SECOND);
    const greenServed = model.requestsServed(targetGroupArn('green-svc1'), T0, T0 + 20 * SECOND);

    // Assert: blue 5 s × 10/s; green 10 s × 10/s + 10 s × 20/s
    expect(blueServed).toBeCloseTo(50, 9);
    expect(greenServed).toBeCloseTo(300, 9);
  });

  it('counts nothing for a target group no route forwards to', () => {
    const { model } = setup();
    expect(model.requestsServed(targetGroupArn('nobody'), T0, T0 + MINUTE)).toBe(0);
  });
});

describe('TrafficModel RequestCount', () => {
  it('splits a route 50/50 into equal per-minute counts', () => {
    // Prepare
    const { clock, elbv2, model } = setup();
    elbv2.addRoute('svc1', { 'blue-svc1': 50, 'green-svc1': 50 });
    clock.advance(5 * MINUTE);

    // Act
    const blueCounts = requestCounts(model, 'blue-svc1');
    const greenCounts = requestCounts(model, 'green-svc1');

    // Assert
    const expected = [0, 1, 2, 3, 4].map((minute) => [minute, 600]);
    expect(blueCounts).toEqual(expected);
    expect(greenCounts).toEqual(expected);
  });

  it('splits the period of a mid-period weight change exactly at the change', () => {
    // Prepare
    const { clock, elbv2, model } = setup();
    const route = elbv2.addRoute('svc1', { 'blue-svc1': 100, 'green-svc1': 0 });
    clock.advance(30 * SECOND);
    elbv2.setWeights(route, { 'blue-svc1': 50, 'green-svc1': 50 });
    clock.advance(30 * SECOND);

    // Act
    const blueCounts = requestCounts(model, 'blue-svc1');
    const greenCounts = requestCounts(model, 'green-svc1');

    // Assert: blue 30 s × 20/s + 30 s × 10/s; green 30 s × 10/s
    expect(blueCounts).toEqual([[0, 900]]);
    expect(greenCounts).toEqual([[0, 300]]);
  });

  it('gives a drained target group no datapoint from the first full period after the drain', () => {
    // Prepare
    const { clock, elbv2, model } = setup();
    const route = elbv2.addRoute('svc1', { 'blue-svc1': 50, 'green-svc1': 50 });
    clock.advance(2 * MINUTE + 20 * SECOND);
    elbv2.setWeights(route, { 'blue-svc1': 0, 'green-svc1': 100 });
    clock.advance(3 * MINUTE + 40 * SECOND);

    // Act
    const blueCounts = requestCounts(model, 'blue-svc1');
    const greenCounts = requestCounts(model, 'green-svc1');

    // Assert
    expect(blueCounts).toEqual([
      [0, 600],
      [1, 600],
      [2, 200],
    ]);
    expect(greenCounts).toEqual([
      [0, 600],
      [1, 600],
      [2, 1000],
      [3, 1200],
      [4, 1200],
      [5, 1200],
    ]);
  });

  it('counts, over all periods, rate × time for the load balancer even when shares are fractions', () => {
    // Prepare: thirds, changes off the minute, three routes
    const { clock, elbv2, model } = setup({ ratePerRoute: 7 });
    const routes = ['a', 'b', 'c'].map((id) => elbv2.addRoute(id, { 'blue-svc1': 1, 'green-svc1': 2 }));
    clock.advance(97_300);
    elbv2.setWeights(routes[0] ?? '', { 'blue-svc1': 2, 'green-svc1': 1 });
    clock.advance(151_700);
    elbv2.setWeights(routes[1] ?? '', { 'blue-svc1': 0, 'green-svc1': 3 });
    clock.advance(211_000);
    const elapsedSeconds = (97_300 + 151_700 + 211_000) / SECOND;

    // Act
    const total = sumOf(
      model.metricSource(albQuery('RequestCount', { LoadBalancer: shop }, T0, T0 + 3_600_000)),
    );
    const split = [blue, green]
      .map((group) =>
        sumOf(
          model.metricSource(
            albQuery('RequestCount', { LoadBalancer: shop, TargetGroup: group }, T0, T0 + 3_600_000),
          ),
        ),
      )
      .reduce((a, b) => a + b, 0);

    // Assert: the load balancer's total is exact; each target group rounds down by less than one request
    expect(total).toBe(3 * 7 * elapsedSeconds);
    expect(total - split).toBeGreaterThanOrEqual(0);
    expect(total - split).toBeLessThan(2);
  });

  it('returns the current period with its partial sum and leaves future periods out', () => {
    // Prepare
    const { clock, elbv2, model } = setup();
    elbv2.addRoute('svc1', { 'blue-svc1': 1, 'green-svc1': 1 });
    clock.advance(2 * MINUTE + 30 * SECOND);

    // Act
    const counts = requestCounts(model, 'blue-svc1', T0, T0 + 10 * MINUTE);

    // Assert
    expect(counts).toEqual([
      [0, 600],
      [1, 600],
      [2, 300],
    ]);
  });

  it('runs periods from the start time rounded down to the minute, as CloudWatch does', () => {
    // Prepare
    const { clock, elbv2, model } = setup();
    elbv2.addRoute('svc1', { 'blue-svc1': 1, 'green-svc1': 1 });
    clock.advance(20 * MINUTE);
    const dimensions = { LoadBalancer: shop, TargetGroup: blue };

    // Act
    const onTheHour = model.metricSource(
      albQuery('RequestCount', dimensions, T0, T0 + 10 * MINUTE, { period: 300 }),
    );
    const offTheMinute = model.metricSource(
      albQuery('RequestCount', dimensions, T0 + 3 * MINUTE + 10 * SECOND, T0 + 10 * MINUTE, { period: 300 }),
    );

    // Assert
    expect(points(onTheHour)).toEqual([
      [0, 3000],
      [5, 3000],
    ]);
    // The last period starts before EndTime, so it is returned whole (it is over by now).
    expect(points(offTheMinute)).toEqual([
      [3, 3000],
      [8, 3000],
    ]);
  });

  it('has no traffic before the route existed and none after it was deleted', () => {
    // Prepare
    const { clock, elbv2, model } = setup();
    clock.advance(MINUTE + 30 * SECOND);
    const route = elbv2.addRoute('svc1', { 'blue-svc1': 1 });
    clock.advance(MINUTE);
    elbv2.deleteRoute(route);
    clock.advance(3 * MINUTE);

    // Act
    const counts = requestCounts(model, 'blue-svc1');

    // Assert
    expect(counts).toEqual([
      [1, 600],
      [2, 600],
    ]);
  });

  it('answers Average, Minimum and Maximum of a count as 1 and SampleCount as the count', () => {
    // Prepare
    const { clock, elbv2, model } = setup();
    elbv2.addRoute('svc1', { 'blue-svc1': 1 });
    clock.advance(MINUTE);
    const ask = (stat: string) =>
      points(
        model.metricSource(
          albQuery('RequestCount', { LoadBalancer: shop, TargetGroup: blue }, T0, T0 + MINUTE, { stat }),
        ),
      );

    // Act
    const answers = ['Average', 'Minimum', 'Maximum', 'SampleCount'].map(ask);

    // Assert
    expect(answers).toEqual([[[0, 1]], [[0, 1]], [[0, 1]], [[0, 1200]]]);
  });
});

describe('TrafficModel health metrics', () => {
  it('divides RequestCountPerTarget by healthy targets, or by all targets when none is healthy', () => {
    // Prepare
    const { clock, elbv2, model } = setup({ targets: 4 });
    elbv2.addRoute('svc1', { 'blue-svc1': 1, 'green-svc1': 1 });
    elbv2.setTargetHealth(targetGroupArn('blue-svc1'), 'unhealthy', ['10.0.0.1']);
    model.sync();
    clock.advance(MINUTE);
    elbv2.setTargetHealth(targetGroupArn('blue-svc1'), 'unhealthy');
    model.sync();
    clock.advance(MINUTE);

    // Act
    const perTarget = points(
      model.metricSource(albQuery('RequestCountPerTarget', { TargetGroup: blue }, T0, T0 + 10 * MINUTE)),
    );
    const perTargetBehindShop = points(
      model.metricSource(
        albQuery('RequestCountPerTarget', { TargetGroup: blue, LoadBalancer: shop }, T0, T0 + 10 * MINUTE),
      ),
    );
    const requests = requestCounts(model, 'blue-svc1');

    // Assert: the ALB keeps routing by weight whatever the health
    expect(perTarget).toEqual([
      [0, 200],
      [1, 150],
    ]);
    expect(perTargetBehindShop).toEqual(perTarget);
    expect(requests).toEqual([
      [0, 600],
      [1, 600],
    ]);
  });

  it('samples HealthyHostCount once a minute and aggregates the samples per period', () => {
    // Prepare
    const { clock, elbv2, model } = setup({ targets: 4 });
    clock.advance(2 * MINUTE);
    elbv2.setTargetHealth(targetGroupArn('blue-svc1'), 'unhealthy', ['10.0.0.4']);
    model.sync();
    clock.advance(3 * MINUTE);
    const ask = (metricName: string, stat: string) =>
      points(
        model.metricSource(
          albQuery(metricName, { TargetGroup: blue, LoadBalancer: shop }, T0, T0 + 5 * MINUTE, {
            period: 300,
            stat,
          }),
        ),
      );

    // Act
    const healthy = ['Minimum', 'Maximum', 'Average', 'SampleCount', 'Sum'].map((stat) =>
      ask('HealthyHostCount', stat),
    );
    const unhealthy = ask('UnHealthyHostCount', 'Maximum');

    // Assert: samples 4, 4, 3, 3, 3
    expect(healthy).toEqual([[[0, 3]], [[0, 4]], [[0, 3.4]], [[0, 5]], [[0, 17]]]);
    expect(unhealthy).toEqual([[0, 1]]);
  });

  it('has HealthyHostCount from the target group’s creation on, though no query looked before', () => {
    // Prepare: as in the twin, the model exists before the fleet is seeded; nothing asks for minutes.
    const clock = frozenClock();
    const elbv2 = new FakeElbv2(clock);
    const model = new TrafficModel({ clock, elbv2 });
    elbv2.addTargetGroup('blue-svc1', { cluster: 'blue', targets: 3 });
    clock.advance(3 * MINUTE);
    const ask = (metricName: string) =>
      points(
        model.metricSource(
          albQuery(metricName, { TargetGroup: blue, LoadBalancer: shop }, T0, T0 + 2 * MINUTE, {
            stat: 'Minimum',
          }),
        ),
      );

    // Act: a window that ended before this first query (a Prepare whose discovery took a minute)
    const healthy = ask('HealthyHostCount');
    const unhealthy = ask('UnHealthyHostCount');

    // Assert
    expect(healthy).toEqual([
      [0, 3],
      [1, 3],
    ]);
    expect(unhealthy).toEqual([
      [0, 0],
      [1, 0],
    ]);
  });

  it('stamps a change of target health when it happens, not when the next query looks', () => {
    // Prepare: a target fails at minute 1; nobody asks until minute 4.
    const { clock, elbv2, model } = setup({ targets: 4 });
    clock.advance(MINUTE);
    elbv2.setTargetHealth(targetGroupArn('blue-svc1'), 'unhealthy', ['10.0.0.4']);
    clock.advance(3 * MINUTE);

    // Act
    const healthy = points(
      model.metricSource(
        albQuery('HealthyHostCount', { TargetGroup: blue, LoadBalancer: shop }, T0, T0 + 4 * MINUTE, {
          stat: 'Minimum',
        }),
      ),
    );

    // Assert
    expect(healthy).toEqual([
      [0, 4],
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it('has no HealthyHostCount for a load balancer the target group is not attached to', () => {
    // Prepare
    const { clock, model } = setup();
    clock.advance(2 * MINUTE);

    // Act
    const answer = model.metricSource(
      albQuery(
        'HealthyHostCount',
        { TargetGroup: blue, LoadBalancer: lbDimension('other') },
        T0,
        T0 + MINUTE,
      ),
    );

    // Assert
    expect(answer).toEqual([]);
  });
});

describe('TrafficModel errors', () => {
  it('turns a cluster error rate into target 5xx from the moment it is set', () => {
    // Prepare
    const { clock, elbv2, model } = setup();
    elbv2.addRoute('svc1', { 'blue-svc1': 1, 'green-svc1': 1 });
    clock.advance(MINUTE);
    model.setClusterErrorRate('blue', 0.25);
    clock.advance(2 * MINUTE);
    const ask = (dimensions: Record<string, string>) =>
      points(model.metricSource(albQuery('HTTPCode_Target_5XX_Count', dimensions, T0, T0 + 10 * MINUTE)));

    // Act
    const blueErrors = ask({ LoadBalancer: shop, TargetGroup: blue });
    const greenErrors = ask({ LoadBalancer: shop, TargetGroup: green });
    const balancerErrors = ask({ LoadBalancer: shop });

    // Assert
    expect(blueErrors).toEqual([
      [1, 150],
      [2, 150],
    ]);
    expect(greenErrors).toEqual([]);
    expect(balancerErrors).toEqual(blueErrors);
    expect(model.errorRates()).toEqual({
      baseline: 0,
      clusters: [{ cluster: 'blue', tagKey: 'clustershift:cluster', fraction: 0.25 }],
      targetGroups: [{ arn: targetGroupArn('blue-svc1'), cluster: 'blue', fraction: 0.25 }],
    });
  });

  it('applies a cluster error rate to a target group the cluster gains later', () => {
    // Prepare
    const { clock, elbv2, model } = setup();
    model.setClusterErrorRate('blue', 0.5);
    elbv2.addTargetGroup('blue-svc2', { cluster: 'blue' });
    elbv2.addRoute('svc2', { 'blue-svc2': 1 });
    clock.advance(MINUTE);

    // Act
    const errors = points(
      model.metricSource(
        albQuery(
          'HTTPCode_Target_5XX_Count',
          { LoadBalancer: shop, TargetGroup: tgDimension('blue-svc2') },
          T0,
          T0 + MINUTE,
        ),
      ),
    );

    // Assert
    expect(errors).toEqual([[0, 600]]);
  });

  it('counts a route whose weights sum to 0 as ELB 503s, not as requests', () => {
    // Prepare
    const { clock, elbv2, model } = setup();
    const route = elbv2.addRoute('svc1', { 'blue-svc1': 1, 'green-svc1': 1 });
    clock.advance(MINUTE);
    elbv2.setWeights(route, { 'blue-svc1': 0, 'green-svc1': 0 });
    clock.advance(MINUTE);

    // Act
    const rejected = points(
      model.metricSource(albQuery('HTTPCode_ELB_5XX_Count', { LoadBalancer: shop }, T0, T0 + 5 * MINUTE)),
    );
    const requests = points(
      model.metricSource(albQuery('RequestCount', { LoadBalancer: shop }, T0, T0 + 5 * MINUTE)),
    );

    // Assert
    expect(rejected).toEqual([[1, 1200]]);
    expect(requests).toEqual([[0, 1200]]);
  });

  it('rejects an error rate outside 0..1, a cluster with no target group and an unknown target group', () => {
    // Prepare
    const { model } = setup();

    // Act / Assert
    expect(() => model.setClusterErrorRate('blue', 1.5)).toThrow(
      expect.objectContaining({ code: 'ValidationError', message: expect.stringContaining('1.5') }),
    );
    expect(() => model.setClusterErrorRate('purple', 0.5)).toThrow(
      expect.objectContaining({
        code: 'ValidationError',
        message: expect.stringContaining('clustershift:cluster=purple'),
      }),
    );
    expect(() => model.setTargetGroupErrorRate(targetGroupArn('nope'), 0.5)).toThrow(
      expect.objectContaining({ code: 'TargetGroupNotFound' }),
    );
  });
});

describe('TrafficModel metric source boundaries', () => {
  it('leaves metrics it does not produce to other sources', () => {
    // Prepare
    const { model } = setup();

    // Act
    const latency = model.metricSource(
      albQuery('TargetResponseTime', { LoadBalancer: shop }, T0, T0 + MINUTE),
    );
    const custom = model.metricSource({
      ...albQuery('RequestCount', { LoadBalancer: shop }, T0, T0 + MINUTE),
      namespace: 'Custom/App',
    });

    // Assert
    expect(latency).toBeUndefined();
    expect(custom).toBeUndefined();
  });

  it('answers no datapoints for a dimension set ALB does not publish, an unknown resource or a percentile', () => {
    // Prepare
    const { clock, elbv2, model } = setup();
    elbv2.addRoute('svc1', { 'blue-svc1': 1 });
    clock.advance(MINUTE);

    // Act
    const answers = [
      albQuery('RequestCount', { TargetGroup: blue }, T0, T0 + MINUTE),
      albQuery('RequestCount', { LoadBalancer: shop, TargetGroup: tgDimension('nope') }, T0, T0 + MINUTE),
      albQuery('RequestCount', { LoadBalancer: shop }, T0, T0 + MINUTE, { stat: 'p99' }),
    ].map((query) => model.metricSource(query));

    // Assert
    expect(answers).toEqual([[], [], []]);
  });
});

describe('TrafficModel snapshot', () => {
  it('gives requests per second per route and per cluster at an instant', () => {
    // Prepare
    const { clock, elbv2, model } = setup({ targets: 3 });
    const route = elbv2.addRoute('svc1', { 'blue-svc1': 1, 'green-svc1': 3 });
    elbv2.setTargetHealth(targetGroupArn('green-svc1'), 'unhealthy', ['10.0.0.1']);
    model.setClusterErrorRate('green', 0.1);
    clock.advance(MINUTE);
    elbv2.setWeights(route, { 'blue-svc1': 0, 'green-svc1': 1 });

    // Act
    const before = model.snapshot(T0 + 30 * SECOND);
    const now = model.snapshot();

    // Assert
    expect(before.routes).toEqual([
      {
        key: route,
        loadBalancerArn: expect.stringContaining(':loadbalancer/app/shop/'),
        hosts: ['svc1.example.com'],
        requestsPerSecond: 20,
        rejectedPerSecond: 0,
        targetGroups: [
          {
            arn: targetGroupArn('blue-svc1'),
            cluster: 'blue',
            weight: 1,
            requestsPerSecond: 5,
            target5xxPerSecond: 0,
          },
          {
            arn: targetGroupArn('green-svc1'),
            cluster: 'green',
            weight: 3,
            requestsPerSecond: 15,
            target5xxPerSecond: 1.5,
          },
        ],
      },
    ]);
    expect(now.clusters).toEqual([
      {
        cluster: 'blue',
        requestsPerSecond: 0,
        target5xxPerSecond: 0,
        healthyTargets: 3,
        unhealthyTargets: 0,
      },
      {
        cluster: 'green',
        requestsPerSecond: 20,
        target5xxPerSecond: 2,
        healthyTargets: 2,
        unhealthyTargets: 1,
      },
    ]);
    expect(now).toMatchObject({
      at: new Date(T0 + MINUTE).toISOString(),
      requestsPerSecond: 20,
      target5xxPerSecond: 2,
    });
  });
});
