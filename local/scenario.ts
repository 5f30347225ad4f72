import * as z from 'zod/mini';
import { TwinError } from './errors';
import { faultSchema } from './faults';
import type { Twin } from './server';

/**
 * A scenario: timed faults for the twin, from a JSON file or the admin endpoint. `at` is twin
 * seconds after the scenario starts, so the same file plays out alike at any time scale.
 *
 * { "name": "green-sick", "actions": [
 *   { "at": 0,  "clusterHealth": { "cluster": "green", "healthy": false, "errorRate": 0.3 } },
 *   { "at": 30, "alarm": { "name": "demo-green-5xx", "state": "ALARM", "reason": "5xx above 5%" } },
 *   { "at": 60, "fault": { "service": "elbv2", "operation": "ModifyRule", "throttleRate": 0.5 } },
 *   { "at": 90, "clearFaults": {} } ] }
 */
const clusterHealthSchema = z.object({
  cluster: z.string().check(z.minLength(1)),
  healthy: z.boolean(),
  /** How many targets of each of the cluster's target groups turn unhealthy; default all. */
  targets: z.optional(z.number().check(z.int(), z.minimum(0))),
  /** Share of the cluster's requests answered 5xx; default 0 when healthy, 0.5 when not. */
  errorRate: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  tagKey: z.optional(z.string().check(z.minLength(1))),
});
export type ClusterHealthChange = z.infer<typeof clusterHealthSchema>;

export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
const alarmChangeSchema = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(255)),
  state: z.enum(ALARM_STATES),
  reason: z.optional(z.string().check(z.maxLength(1023))),
});
export type AlarmChange = z.infer<typeof alarmChangeSchema>;

const at = z.number().check(z.minimum(0));
const actionSchema = z.union([
  z.strictObject({ at, clusterHealth: clusterHealthSchema }),
  z.strictObject({ at, alarm: alarmChangeSchema }),
  z.strictObject({ at, fault: faultSchema }),
  z.strictObject({ at, clearFaults: z.object({ service: z.optional(faultSchema.shape.service) }) }),
]);
export type ScenarioAction = z.infer<typeof actionSchema>;

export const scenarioSchema = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  description: z.optional(z.string()),
  actions: z.array(actionSchema).check(z.maxLength(1000)),
});
export type Scenario = z.infer<typeof scenarioSchema>;

export const parseScenario = (input: unknown, source = 'scenario'): Scenario => {
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new TwinError('ValidationError', `${source} is not a valid scenario: ${lines.join('; ')}`);
  }
  return parsed.data;
};

/** Makes a cluster's targets unhealthy (or healthy again) and sets its share of 5xx. */
export const applyClusterHealth = (twin: Twin, change: ClusterHealthChange): { targetGroups: string[] } => {
  const tagKey = change.tagKey ?? 'clustershift:cluster';
  const groups = twin.elbv2.targetGroups().filter((group) => group.tags[tagKey] === change.cluster);
  if (groups.length === 0) {
    throw new TwinError('ValidationError', `no target group is tagged ${tagKey}=${change.cluster}`);
  }
  for (const group of groups) {
    const count = change.targets ?? group.targets.length;
    const ids = group.targets.slice(0, count).map((target) => target.id);
    twin.elbv2.setTargetHealth(group.arn, 'healthy');
    if (!change.healthy) twin.elbv2.setTargetHealth(group.arn, 'unhealthy', ids);
  }
  twin.traffic.setClusterErrorRate(change.cluster, change.errorRate ?? (change.healthy ? 0 : 0.5), tagKey);
  return { targetGroups: groups.map((group) => group.arn) };
};

export const applyAlarmChange = (twin: Twin, change: AlarmChange): void => {
  twin.cloudwatch.ensureAlarm(change.name);
  twin.cloudwatch.setAlarmState(
    change.name,
    change.state,
    change.reason ?? `set by the twin (${change.state})`,
  );
};

export const applyAction = (twin: Twin, action: ScenarioAction): void => {
  if ('clusterHealth' in action) applyClusterHealth(twin, action.clusterHealth);
  else if ('alarm' in action) applyAlarmChange(twin, action.alarm);
  else if ('fault' in action) twin.faults.add(action.fault);
  else twin.faults.clear(action.clearFaults.service);
};

/**
 * Plays a scenario on the twin's clock; resolves when the last action ran or `signal` aborts. An
 * action that fails (a cluster with no target groups, say) is reported and the rest still play.
 */
export const runScenario = async (
  twin: Twin,
  scenario: Scenario,
  signal?: AbortSignal,
  onAction: (action: ScenarioAction, error?: Error) => void = () => undefined,
): Promise<void> => {
  const start = twin.clock.now();
  const ordered = [...scenario.actions].sort((a, b) => a.at - b.at);
  for (const action of ordered) {
    const wait = start + action.at * 1000 - twin.clock.now();
    if (wait > 0) await twin.clock.sleep(wait, signal);
    if (signal?.aborted) return;
    try {
      applyAction(twin, action);
      onAction(action);
    } catch (error) {
      onAction(action, error instanceof Error ? error : new Error(String(error)));
    }
  }
};
