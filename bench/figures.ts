import {
  BUNDLE_KB_BUDGET,
  type Budget,
  DRAIN_BUDGETED_ROUTES,
  DRAIN_CALLS_BUDGET,
  FAILOVER_BUDGETED_ROUTES,
  FAILOVER_EXPOSURE_BUDGET,
  FAILOVER_RATIO_BUDGET,
} from './budgets';
import type { BenchResults } from './results';
import { round } from './stats';

/** One number the bench keeps, under a key that stays the same from run to run. */
export interface Figure {
  readonly key: string;
  readonly label: string;
  readonly value: number;
  /** Which way is an improvement; `neither` for counts that only describe (tests passed). */
  readonly better: 'lower' | 'higher' | 'neither';
  readonly budget?: Budget;
  /** Not measured in this run: carried over from the previous one. */
  readonly reused?: boolean;
}

type Results = Partial<BenchResults>;

const failoverFigures = (results: Results): Figure[] =>
  (results.failover?.runs ?? []).flatMap((run) => {
    const budgeted = FAILOVER_BUDGETED_ROUTES.includes(run.routes);
    const budget = budgeted ? { budget: FAILOVER_RATIO_BUDGET } : {};
    const exposureBudget = budgeted ? { budget: FAILOVER_EXPOSURE_BUDGET } : {};
    const at = `failover ${run.routes} routes`;
    // Runs from before issue 15 have no exposure figures.
    const exposure: Figure[] =
      run.exposureRatio === undefined
        ? []
        : [
            {
              key: `failover.${run.routes}.exposureRatio`,
              label: `${at}, sick-cluster requests ÷ optimum from the alarm`,
              value: run.exposureRatio,
              better: 'lower',
              ...exposureBudget,
            },
            {
              key: `failover.${run.routes}.exposureRatioSameStart`,
              label: `${at}, sick-cluster requests ÷ optimum from the first write`,
              value: run.exposureRatioSameStart,
              better: 'lower',
              ...exposureBudget,
            },
          ];
    return [
      ...exposure,
      {
        // A new key: the floor is AWS's documented mutating bucket now, not an injected write rate.
        key: `failover.${run.routes}.ratioUnderAwsLimits`,
        label: `${at}, ÷ floor (AWS limits)`,
        value: run.ratio,
        better: 'lower',
        ...budget,
      },
      {
        key: `failover.${run.routes}.msUnderAwsLimits`,
        label: `${at}, ms`,
        value: run.measuredMs,
        better: 'lower',
      },
      {
        key: `failover.${run.routes}.controllerThrottled`,
        label: `${at}, controllers' throttled calls`,
        value: run.controllerThrottled ?? 0,
        better: 'lower',
      },
      {
        key: `failover.${run.routes}.firstWriteMsUnderAwsLimits`,
        label: `${at}, first write ms`,
        value: run.firstWriteMs,
        better: 'lower',
      },
    ];
  });

const fleetFigures = (results: Results): Figure[] => {
  const fleet = results.fleet;
  if (fleet === undefined) return [];
  const throttled = (w: { describesThrottled: number; registrationsThrottled: number }) =>
    w.describesThrottled + w.registrationsThrottled;
  const drains = fleet.drains.flatMap((drain): Figure[] => [
    {
      key: `drain.${drain.routes}.elbv2PerRoutePerStepOnTwin`,
      label: `drain ${drain.routes} routes, ELBv2 calls/route/step`,
      value: drain.elbv2CallsPerRoutePerStep,
      better: 'lower',
      ...(DRAIN_BUDGETED_ROUTES.includes(drain.routes) ? { budget: DRAIN_CALLS_BUDGET } : {}),
    },
    {
      key: `drain.${drain.routes}.controllerThrottled`,
      label: `drain ${drain.routes} routes, controllers' throttled calls (idle: ${throttled(drain.controllersIdle)})`,
      value: throttled(drain.controllersDuringShift),
      better: 'lower',
    },
  ]);
  const failover = fleet.failover;
  return failover === undefined
    ? drains
    : [
        ...drains,
        {
          key: `fleetFailover.${failover.routes}.ratio`,
          label: `failover ${failover.routes} routes (twin ×${failover.timeScale}), ÷ floor`,
          value: failover.ratio,
          better: 'lower',
        },
      ];
};

const bundleFigures = (results: Results): Figure[] =>
  (results.bundles ?? []).flatMap((bundle) => [
    {
      key: `bundle.${bundle.function}.kb`,
      label: `bundle ${bundle.function}, KB`,
      value: round(bundle.bytes / 1024),
      better: 'lower',
      budget: BUNDLE_KB_BUDGET,
    },
    {
      key: `bundle.${bundle.function}.coldLoadMs`,
      label: `bundle ${bundle.function}, cold load ms`,
      value: bundle.coldLoadMs,
      better: 'lower',
    },
  ]);

const wallTimeFigures = (results: Results): Figure[] => {
  const figures: Figure[] = [];
  const start = results.npmStart;
  if (start !== undefined) {
    const cache = start.synthCacheWarm ? 'synth cached' : 'synth cold';
    figures.push({
      key: 'npmStart.s',
      label: `npm start, s (${cache})`,
      value: start.wallSeconds,
      better: 'lower',
    });
  }
  const test = results.npmTest;
  if (test !== undefined) {
    const reused = test.reused === true ? { reused: true } : {};
    figures.push(
      { key: 'npmTest.s', label: 'npm test, s', value: test.wallSeconds, better: 'lower', ...reused },
      { key: 'npmTest.passed', label: 'npm test, passed', value: test.passed, better: 'neither', ...reused },
      { key: 'npmTest.failed', label: 'npm test, failed', value: test.failed, better: 'lower', ...reused },
    );
  }
  return figures;
};

const throughputFigures = (results: Results): Figure[] => {
  const twin = results.twinThroughput;
  if (twin === undefined) return [];
  return twin.loads.flatMap((load) => {
    const at = `twin ${load.load} ${twin.routes} routes`;
    return [
      {
        key: `twin.${load.load}.rps`,
        label: `${at}, req/s`,
        value: load.requestsPerSecond,
        better: 'higher',
      },
      { key: `twin.${load.load}.p50Ms`, label: `${at}, p50 ms`, value: load.p50Ms, better: 'lower' },
      { key: `twin.${load.load}.p95Ms`, label: `${at}, p95 ms`, value: load.p95Ms, better: 'lower' },
    ];
  });
};

const chatFigures = (results: Results): Figure[] => {
  const chat = results.chat;
  if (chat === undefined) return [];
  return [
    { key: 'chat.coldMs', label: 'chat ack cold, ms', value: chat.coldMs, better: 'lower' },
    {
      key: 'chat.warmMedianMs',
      label: 'chat ack warm median, ms',
      value: chat.warmMedianMs,
      better: 'lower',
    },
    { key: 'chat.warmP95Ms', label: 'chat ack warm p95, ms', value: chat.warmP95Ms, better: 'lower' },
  ];
};

/** Every figure of a results file, in table order; sections the file lacks give none. */
export const figuresOf = (results: Results): Figure[] => [
  ...failoverFigures(results),
  ...fleetFigures(results),
  ...bundleFigures(results),
  ...wallTimeFigures(results),
  ...throughputFigures(results),
  ...chatFigures(results),
];

/** Figures by key: what results.json keeps of the run it replaced. */
export const figureValues = (figures: readonly Figure[]): Record<string, number> =>
  Object.fromEntries(figures.map((figure) => [figure.key, figure.value]));
