import type { WorkflowHarness } from '../test/support/workflow';
import { round } from './stats';

/** The drain's steps (the harness's test config: 25/50/75/100 %). */
const STEPS = 4;

/**
 * Runs one drain of `routes` routes through the real workflow and handlers (the in-process harness
 * of the workflow tests: ELBv2 and CloudWatch are in-memory fakes) and counts the AWS API calls by
 * operation. DynamoDB calls are not counted here (dynalite serves them).
 */
export const countDrainCalls = async (harness: WorkflowHarness, routes: number) => {
  await harness.reset();
  for (let i = 0; i < routes; i++) harness.addService(`svc${i}.example.com`, { blue: 50, green: 50 });
  const started = Date.now();
  const result = await harness.run({
    action: 'drain',
    cluster: 'blue',
    reason: 'bench',
    requestedBy: 'cli:bench',
  });
  const wallMs = Date.now() - started;
  if (result.status !== 'SUCCEEDED') throw new Error(`bench drain failed: ${JSON.stringify(result)}`);
  const byOperation: Record<string, number> = {};
  for (const call of [...harness.alb.calls, ...harness.cloudwatch.calls])
    byOperation[call] = (byOperation[call] ?? 0) + 1;
  const tasks: Record<string, number> = {};
  for (const call of harness.calls) tasks[call.fn] = (tasks[call.fn] ?? 0) + 1;
  const total = Object.values(byOperation).reduce((a, b) => a + b, 0);
  const perRoutePerStep = (calls: number, digits: number) => round(calls / routes / STEPS, digits);
  return {
    routes,
    steps: STEPS,
    total,
    perRoutePerStep: perRoutePerStep(total, 2),
    byOperation,
    // Which calls grow with the fleet (≈ constant here) and which are fixed (→ 0 as routes grow).
    perRoutePerStepByOperation: Object.fromEntries(
      Object.entries(byOperation).map(([operation, calls]) => [operation, perRoutePerStep(calls, 3)]),
    ),
    tasks,
    inProcessWallMs: wallMs,
  };
};
