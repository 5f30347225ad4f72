import { stepWeights } from '../core/planner';
import { clusterWeights, fleetShare, type Weights } from '../core/routes';
import type { PlanSummary } from '../core/summary';
import { type Cell, percent, stepLabel, table } from './format';
import type { LocalPlan } from './plan';

/** A route's weight per cluster now and after each step: `{ blue: [50, 38, 25, 13, 0] }`. */
const clusterColumns = (plan: LocalPlan['plan'], routePlan: LocalPlan['plan']['routes'][number]) => {
  const byCluster: Record<string, number[]> = {};
  for (let index = -1; index < plan.steps.length; index++) {
    const weights = clusterWeights(routePlan.route, stepWeights(plan, routePlan, index));
    for (const [cluster, weight] of Object.entries(weights)) {
      byCluster[cluster] = [...(byCluster[cluster] ?? []), weight];
    }
  }
  return byCluster;
};

/** Each cluster's share of the whole fleet now and after each step (unplanned routes stay as they are). */
const fleetShares = (local: LocalPlan, clusters: readonly string[]) => {
  const { plan } = local;
  const planned = new Map(plan.routes.map((r) => [r.route.id, r]));
  return clusters.map((cluster) => {
    const row: number[] = [];
    for (let index = -1; index < plan.steps.length; index++) {
      const weighted = local.routes.map((route) => {
        const routePlan = planned.get(route.id);
        const weights: Weights =
          routePlan === undefined ? route.weights : stepWeights(plan, routePlan, index);
        return { route, weights };
      });
      row.push(fleetShare(weighted, cluster));
    }
    return { cluster, shares: row };
  });
};

const describeRequest = (local: LocalPlan): string => {
  const { request, plan } = local;
  const what =
    request.action === 'shift'
      ? `shift to ${Object.entries(request.weights ?? {})
          .map(([c, w]) => `${c}=${w}`)
          .join(',')}`
      : `${request.action} ${request.cluster}`;
  const pauses =
    plan.pauseBeforeSteps.length === 0
      ? ''
      : `, waits for approval before step ${plan.pauseBeforeSteps.map((s) => s + 1).join(', ')}`;
  return `plan: ${what}: ${plan.steps.length} step(s) (${plan.steps.map(stepLabel).join(', ')}), bake ${plan.bakeSeconds} s each, gates checked every ${plan.checkIntervalSeconds} s${pauses}`;
};

export const renderPlan = (local: LocalPlan, clusters: readonly string[]): string[] => {
  const { plan } = local;
  const headers = ['NOW', ...plan.steps.map(stepLabel)];
  const lines = [
    describeRequest(local),
    `${plan.routes.length} route(s) change, ${plan.unchanged} already there, ${plan.held.length} held`,
  ];
  if (plan.routes.length > 0) {
    const rows: Cell[][] = [];
    for (const routePlan of plan.routes) {
      Object.entries(clusterColumns(plan, routePlan)).forEach(([cluster, weights], index) => {
        rows.push([index === 0 ? routePlan.route.name : '', cluster, ...weights]);
      });
    }
    lines.push('', ...table(['ROUTE', 'CLUSTER', ...headers], rows));
  }
  lines.push(
    '',
    ...table(
      ['FLEET SHARE', ...headers],
      fleetShares(local, clusters).map((row) => [row.cluster, ...row.shares.map(percent)]),
    ),
  );
  if (plan.held.length > 0) {
    lines.push('', 'held (left as they are):');
    for (const held of plan.held) {
      lines.push(
        `  ${held.name}: ${held.reason}${held.guardrail === undefined ? '' : ` [${held.guardrail}]`}`,
      );
    }
  }
  if (local.violations.length > 0) {
    lines.push('', 'guardrails:');
    for (const v of local.violations) {
      const status = v.forced ? 'forced ' : 'REFUSED';
      const hint = v.forced
        ? ''
        : v.forceable
          ? ` (override: --force ${v.guardrail})`
          : ' (cannot be forced)';
      lines.push(`  ${status} ${v.guardrail}: ${v.message}${hint}`);
      for (const route of v.routes) lines.push(`          ${route}`);
    }
  }
  lines.push(
    '',
    local.refused
      ? 'the workflow would refuse this plan (GuardrailViolation); nothing was written'
      : 'dry run: nothing was written',
  );
  return lines;
};

/** The JSON shape of `plan --json`: every route with its cluster weights now and per step. */
export const planJson = (local: LocalPlan, clusters: readonly string[]) => {
  const { plan, request } = local;
  return {
    request,
    steps: plan.steps,
    bakeSeconds: plan.bakeSeconds,
    checkIntervalSeconds: plan.checkIntervalSeconds,
    pauseBeforeSteps: plan.pauseBeforeSteps,
    unchanged: plan.unchanged,
    held: plan.held,
    routes: plan.routes.map((r) => ({
      name: r.route.name,
      id: r.route.id,
      kind: r.route.kind,
      /** Index 0 is now, then one entry per step. */
      weights: clusterColumns(plan, r),
    })),
    fleetShares: Object.fromEntries(fleetShares(local, clusters).map((row) => [row.cluster, row.shares])),
    violations: local.violations,
    refused: local.refused,
  };
};

/** The workflow's dry-run output (its bounded plan summary), for `--dry-run`. */
export const renderSummary = (summary: PlanSummary): string[] => {
  const lines = [
    `${summary.action}${summary.cluster === undefined ? '' : ` ${summary.cluster}`}: ${summary.routesChanging} route(s) change, ${summary.routesUnchanged} already there, ${summary.held.length} held`,
  ];
  if (summary.routes.length > 0) {
    lines.push(
      '',
      ...table(
        ['ROUTE', 'NOW', ...summary.steps.map((s) => stepLabel(s.fraction))],
        summary.routes.map((r) => [r.name, r.before, ...r.steps]),
      ),
    );
    if (summary.routesOmitted > 0) lines.push(`… and ${summary.routesOmitted} more route(s)`);
  }
  for (const held of summary.held) lines.push(`held: ${held.name}: ${held.reason}`);
  for (const forced of summary.forced)
    lines.push(`forced: ${forced.guardrail} [${forced.routes.join(', ')}]`);
  return lines;
};
