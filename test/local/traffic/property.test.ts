import fc from 'fast-check';
import { TrafficModel } from '../../../local/traffic/model';
import {
  albQuery,
  FakeElbv2,
  frozenClock,
  lbDimension,
  MINUTE,
  points,
  sumOf,
  T0,
  tgDimension,
} from './fixtures';

const ROUTES = 3;
const GROUPS = ['a', 'b'] as const;

interface WeightEvent {
  readonly afterMs: number;
  readonly route: number;
  readonly weights: readonly [number, number];
}

const eventArbitrary: fc.Arbitrary<WeightEvent> = fc.record({
  afterMs: fc.integer({ min: 0, max: 180_000 }),
  route: fc.integer({ min: 0, max: ROUTES - 1 }),
  weights: fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999 })),
});

const groupName = (route: number, group: string): string => `r${route}-${group}`;

/**
 * Plays the events on a fake ELBv2 (each route on its own load balancer, with its own two target
 * groups) and, independently, integrates the expected requests per target group and the expected
 * rejections per route by summing rate × share × duration over the intervals between events.
 */
const play = (events: readonly WeightEvent[], rate: number, tailMs: number) => {
  const clock = frozenClock();
  const elbv2 = new FakeElbv2(clock);
  const keys: string[] = [];
  const weights: (readonly [number, number])[] = [];
  for (let route = 0; route < ROUTES; route++) {
    for (const group of GROUPS) elbv2.addTargetGroup(groupName(route, group), { loadBalancer: `lb${route}` });
    keys.push(
      elbv2.addRoute(
        `rule${route}`,
        { [groupName(route, 'a')]: 1, [groupName(route, 'b')]: 1 },
        `lb${route}`,
      ),
    );
    weights.push([1, 1]);
  }
  const model = new TrafficModel({ clock, elbv2, ratePerRoute: rate });
  const expected = new Map<string, number>();
  const rejected = new Map<number, number>();
  const integrate = (ms: number): void => {
    weights.forEach(([a, b], route) => {
      const total = a + b;
      if (total === 0) rejected.set(route, (rejected.get(route) ?? 0) + (rate * ms) / 1000);
      GROUPS.forEach((group, index) => {
        const share = total === 0 ? 0 : (index === 0 ? a : b) / total;
        const name = groupName(route, group);
        expected.set(name, (expected.get(name) ?? 0) + (rate * share * ms) / 1000);
      });
    });
  };
  for (const event of events) {
    clock.advance(event.afterMs);
    integrate(event.afterMs);
    const [a, b] = event.weights;
    elbv2.setWeights(keys[event.route] ?? '', {
      [groupName(event.route, 'a')]: a,
      [groupName(event.route, 'b')]: b,
    });
    weights[event.route] = event.weights;
  }
  clock.advance(tailMs);
  integrate(tailMs);
  return { model, expected, rejected, elapsedMs: clock.now() - T0 };
};

describe('TrafficModel over random weight logs', () => {
  it('counts per target group, summed over all periods, within one request of the exact integral', () => {
    fc.assert(
      fc.property(
        fc.array(eventArbitrary, { maxLength: 25 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 120_000 }),
        (events, rate, tailMs) => {
          // Prepare
          const { model, expected, rejected, elapsedMs } = play(events, rate, tailMs);
          const end = T0 + elapsedMs + MINUTE;

          for (let route = 0; route < ROUTES; route++) {
            // Act
            const loadBalancer = lbDimension(`lb${route}`);
            const perGroup = GROUPS.map((group) =>
              model.metricSource(
                albQuery(
                  'RequestCount',
                  { LoadBalancer: loadBalancer, TargetGroup: tgDimension(groupName(route, group)) },
                  T0,
                  end,
                ),
              ),
            );
            const rejections = sumOf(
              model.metricSource(albQuery('HTTPCode_ELB_5XX_Count', { LoadBalancer: loadBalancer }, T0, end)),
            );

            // Assert
            GROUPS.forEach((group, index) => {
              const exact = expected.get(groupName(route, group)) ?? 0;
              const counted = sumOf(perGroup[index]);
              expect(Math.abs(counted - exact)).toBeLessThan(1 + 1e-6);
              for (const [, value] of points(perGroup[index]))
                expect(value).toBeLessThanOrEqual(rate * 60 + 1);
            });
            const all = sumOf(perGroup[0]) + sumOf(perGroup[1]) + rejections;
            expect(Math.abs(all - (rate * elapsedMs) / 1000)).toBeLessThan(GROUPS.length + 1 + 1e-6);
            expect(Math.abs(rejections - (rejected.get(route) ?? 0))).toBeLessThan(1 + 1e-6);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives 5-minute sums equal to the sums of their minutes', () => {
    fc.assert(
      fc.property(
        fc.array(eventArbitrary, { maxLength: 25 }),
        fc.integer({ min: 1, max: 50 }),
        (events, rate) => {
          // Prepare
          const { model, elapsedMs } = play(events, rate, 0);
          const end = T0 + elapsedMs + 5 * MINUTE;
          const dimensions = {
            LoadBalancer: lbDimension('lb0'),
            TargetGroup: tgDimension(groupName(0, 'a')),
          };

          // Act
          const minutes = points(model.metricSource(albQuery('RequestCount', dimensions, T0, end)));
          const fives = points(
            model.metricSource(albQuery('RequestCount', dimensions, T0, end, { period: 300 })),
          );

          // Assert
          const regrouped = new Map<number, number>();
          for (const [minute, value] of minutes) {
            const five = Math.floor(minute / 5) * 5;
            regrouped.set(five, (regrouped.get(five) ?? 0) + value);
          }
          expect(fives).toEqual([...regrouped]);
        },
      ),
      { numRuns: 100 },
    );
  });
});
