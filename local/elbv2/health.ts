import { TwinError } from '../errors';
import { requiredString } from '../protocol/scalars';
import type { TwinInput } from '../service';
import { invalidTarget, validation } from './errors';
import { intInRange, list, oneOf, requiredList, struct } from './input';
import type { Elbv2State, TargetGroupState, TargetState } from './state';
import type { TargetHealthState } from './view';

/**
 * Registered targets and their health. The twin runs no health checks: a target is healthy from
 * registration until fault injection (setTargetHealth) says otherwise.
 */
export const HEALTH_STATES: readonly TargetHealthState[] = [
  'initial',
  'healthy',
  'unhealthy',
  'unused',
  'draining',
  'unavailable',
];

/** Reason and description per state, from the API reference's TargetHealth. */
const REASONS: Record<TargetHealthState, { Reason: string; Description: string } | undefined> = {
  healthy: undefined,
  initial: { Reason: 'Elb.RegistrationInProgress', Description: 'Target registration is in progress' },
  unhealthy: { Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' },
  unused: {
    Reason: 'Target.NotInUse',
    Description: 'Target group is not configured to receive traffic from the load balancer',
  },
  draining: {
    Reason: 'Target.DeregistrationInProgress',
    Description: 'Target deregistration is in progress',
  },
  unavailable: { Reason: 'Target.HealthCheckDisabled', Description: 'Health checks are disabled' },
};

const MAX_TARGETS_PER_CALL = 1_000;

interface TargetRef {
  readonly id: string;
  readonly port: number | undefined;
  readonly availabilityZone: string | undefined;
}

const parseTargets = (value: unknown, path: string): TargetRef[] => {
  const items = list(value, path) ?? [];
  if (items.length > MAX_TARGETS_PER_CALL) {
    throw new TwinError('TooManyTargets', `You can specify at most ${MAX_TARGETS_PER_CALL} targets per call`);
  }
  return items.map((item, index) => {
    const memberPath = `${path}.${index + 1}.member`;
    const target = struct(item, memberPath);
    const id = requiredString(target.Id, `${memberPath}.id`);
    if (id === '') throw invalidTarget('A target ID must not be empty');
    const zone = target.AvailabilityZone;
    return {
      id,
      port: intInRange(target.Port, `${memberPath}.port`, 1, 65_535),
      availabilityZone:
        zone === undefined ? undefined : requiredString(zone, `${memberPath}.availabilityZone`),
    };
  });
};

const portOf = (group: TargetGroupState, ref: TargetRef): number => {
  const port = ref.port ?? group.port;
  if (port === undefined) throw invalidTarget(`A port must be specified for target '${ref.id}'`);
  return port;
};

export const registerTargets = (state: Elbv2State, input: TwinInput) => {
  const group = state.targetGroup(requiredString(input.TargetGroupArn, 'targetGroupArn'));
  requiredList(input.Targets, 'targets');
  const refs = parseTargets(input.Targets, 'targets');
  if (refs.length === 0) throw validation('At least one target must be specified');
  const additions = refs.map((ref) => ({ ref, port: portOf(group, ref) }));
  let added = 0;
  for (const { ref, port } of additions) {
    // Registering a target again is a no-op, as in AWS.
    if (group.targets.some((target) => target.id === ref.id && target.port === port)) continue;
    group.targets.push({ id: ref.id, port, availabilityZone: ref.availabilityZone, health: 'healthy' });
    added += 1;
  }
  if (added > 0) state.targetsChanged(group);
  return {};
};

interface HealthDescription {
  readonly Target: { readonly Id: string; readonly Port: number; readonly AvailabilityZone?: string };
  readonly HealthCheckPort: string;
  readonly TargetHealth: {
    readonly State: TargetHealthState;
    readonly Reason?: string;
    readonly Description?: string;
  };
}

/** What DescribeTargetHealth says of one target: its own state, or `unused` when nothing forwards to its group. */
const describeOne = (inUse: boolean, group: TargetGroupState, target: TargetState): HealthDescription => {
  const health: TargetHealthState = !inUse && target.health === 'healthy' ? 'unused' : target.health;
  return {
    Target: {
      Id: target.id,
      Port: target.port,
      ...(target.availabilityZone === undefined ? {} : { AvailabilityZone: target.availabilityZone }),
    },
    HealthCheckPort: healthCheckPort(group, target),
    TargetHealth: { State: health, ...REASONS[health] },
  };
};

const healthCheckPort = (group: TargetGroupState, target: TargetState): string => {
  const configured = group.healthCheck.HealthCheckPort;
  return typeof configured === 'string' && configured !== 'traffic-port' ? configured : String(target.port);
};

export const describeTargetHealth = (state: Elbv2State, input: TwinInput) => {
  const group = state.targetGroup(requiredString(input.TargetGroupArn, 'targetGroupArn'));
  const include = list(input.Include, 'include') ?? [];
  for (const [index, item] of include.entries()) {
    oneOf(item, `include.${index + 1}.member`, ['AnomalyDetection', 'All']);
  }
  const refs = input.Targets === undefined ? undefined : parseTargets(input.Targets, 'targets');
  const inUse = state.loadBalancersOf(group.arn).length > 0;
  if (refs === undefined || refs.length === 0) {
    return { TargetHealthDescriptions: group.targets.map((target) => describeOne(inUse, group, target)) };
  }
  return {
    TargetHealthDescriptions: refs.flatMap((ref): HealthDescription[] => {
      const matches = group.targets.filter(
        (target) => target.id === ref.id && (ref.port === undefined || target.port === ref.port),
      );
      if (matches.length > 0) return matches.map((target) => describeOne(inUse, group, target));
      const port = portOf(group, ref);
      return [
        {
          Target: { Id: ref.id, Port: port },
          HealthCheckPort: String(port),
          TargetHealth: {
            State: 'unused',
            Reason: 'Target.NotRegistered',
            Description: 'Target is not registered to the target group',
          },
        },
      ];
    }),
  };
};

/** Fault injection: the state of some or all targets of a group. */
export const setTargetHealth = (
  state: Elbv2State,
  targetGroupArn: string,
  health: TargetHealthState,
  targetIds?: readonly string[],
): void => {
  if (!HEALTH_STATES.includes(health)) {
    throw validation(
      `Target health state must be one of ${HEALTH_STATES.join(', ')}, got '${String(health)}'`,
    );
  }
  const group = state.targetGroup(targetGroupArn);
  if (targetIds !== undefined) {
    const unknown = targetIds.filter((id) => !group.targets.some((target) => target.id === id));
    if (unknown.length > 0) {
      throw invalidTarget(`Targets not registered in ${group.name}: ${unknown.join(', ')}`);
    }
  }
  for (const target of group.targets) {
    if (targetIds === undefined || targetIds.includes(target.id)) target.health = health;
  }
  state.targetsChanged(group);
};
