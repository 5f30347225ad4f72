import type {
  OutcomeNotification,
  StartedNotification,
  StepNotification,
  StoredShift,
} from '../../core/notification';
import { buildPlan } from '../../core/planner';
import { planMeta } from '../../core/stored-plan';
import { summarizePlan } from '../../core/summary';
import { config, request, route } from './fixtures';

export const EXECUTION =
  'arn:aws:states:eu-west-1:123456789012:execution:clustershift-prod:drain-blue-1700000000';
export const CONSOLE_URL = `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION}`;

/** A drain of blue in four steps over two routes, as Prepare would have stored it. */
export const storedDrain = (extra: Record<string, unknown> = {}): StoredShift => {
  const cfg = config();
  const req = request(cfg, {
    action: 'drain',
    cluster: 'blue',
    reason: 'node upgrade',
    requestedBy: 'cli:arn:aws:sts::123456789012:assumed-role/Admin/alice',
    ...extra,
  });
  const plan = buildPlan({
    config: cfg,
    request: req,
    routes: [route('api', { blue: 50, green: 50 }), route('web', { blue: 50, green: 50 })],
    healthyClusters: new Set(['blue', 'green']),
  });
  const meta = planMeta(plan, {
    executionId: EXECUTION,
    reason: req.reason,
    requestedBy: req.requestedBy,
    forced: [],
    onFailure: 'rollback',
    createdAt: '2026-11-23T10:00:00.000Z',
  });
  return { meta: { ...meta, summary: summarizePlan(plan, ['blue', 'green']) }, plan };
};

const base = {
  fleet: 'prod',
  executionId: EXECUTION,
  action: 'drain',
  cluster: 'blue',
  requestedBy: 'cli:alice',
  reason: 'node upgrade',
};

export const started = (plan: Partial<StartedNotification['plan']> = {}): StartedNotification => ({
  ...base,
  kind: 'started',
  plan: {
    steps: [0.25, 0.5, 0.75, 1],
    bakeSeconds: 300,
    pauseBeforeSteps: [],
    routesChanging: 2,
    routesUnchanged: 1,
    held: [],
    forced: [],
    sharesBefore: { blue: 0.5, green: 0.5 },
    sharesTarget: { blue: 0, green: 1 },
    routes: [{ name: 'api.example.com', before: 'blue=50 green=50', after: 'blue=0 green=100' }],
    routesOmitted: 0,
    ...plan,
  },
});

export const step = (extra: Partial<StepNotification> = {}): StepNotification => ({
  ...base,
  kind: 'step',
  step: { index: 1, total: 4, fraction: 0.5 },
  bakeSeconds: 300,
  shares: { blue: 0.25, green: 0.75 },
  observed: { status: 'measured', shares: { blue: 0.24, green: 0.76 }, requests: 1200, minutes: 4 },
  gates: {
    status: 'read',
    alarms: [
      { name: 'fleet-latency', state: 'OK' },
      { name: 'green-5xx', state: 'OK' },
    ],
  },
  nextStepAwaitsApproval: false,
  ...extra,
});

export const outcome = (extra: Partial<OutcomeNotification> = {}): OutcomeNotification => ({
  ...base,
  kind: 'outcome',
  status: 'SUCCEEDED',
  ...extra,
});

export const FAIL_STATIC_ERROR = {
  name: 'GuardrailViolation',
  message:
    "refused by guardrails: last-cluster: fail static: no healthy cluster to take green's traffic [api]",
};
