import { z } from 'zod';
import { InvalidConfigError } from './errors';
import { toFieldIssues } from './zod-issues';

const loadBalancerArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\/[A-Za-z0-9-]+\/[a-f0-9]+$/,
    'must be an Application Load Balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>)',
  );
const listenerArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener\/app\/[A-Za-z0-9-]+\/[a-f0-9]+\/[a-f0-9]+$/,
    'must be a listener ARN of an Application Load Balancer',
  );
const targetGroupArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]+\/[a-f0-9]+$/,
    'must be a target group ARN',
  );
const alarmName = z.string().min(1, 'alarm name must not be empty').max(255);
const clusterName = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,30}$/,
    'cluster names are lowercase letters, digits and dashes, starting with a letter',
  );

/** Fractions of the way from W0 to W1: strictly increasing, in (0, 1], ending at 1. */
export const stepsSchema = z
  .array(z.number().gt(0, 'each step is a fraction > 0').lte(1, 'each step is a fraction <= 1'))
  .min(1, 'at least one step')
  .max(20, 'at most 20 steps')
  .refine((steps) => steps.every((step, i) => i === 0 || step > (steps[i - 1] ?? 0)), {
    message: 'steps must be strictly increasing',
  })
  .refine((steps) => steps[steps.length - 1] === 1, { message: 'the last step must be 1 (the whole way)' });

const seconds = (max: number) => z.number().int('must be a whole number of seconds').min(0).max(max);

const phaseDefaults = (steps: number[], bakeSeconds: number, checkIntervalSeconds: number) =>
  z
    .object({
      steps: stepsSchema.default(steps),
      bakeSeconds: seconds(86_400).default(bakeSeconds),
      checkIntervalSeconds: z.number().int().min(1).max(3_600).default(checkIntervalSeconds),
    })
    .strict()
    .prefault({});

export const fleetConfigSchema = z
  .object({
    version: z.literal(1).default(1),
    fleet: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{0,40}$/,
        'fleet names are lowercase letters, digits and dashes, starting with a letter',
      ),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1'),
    loadBalancers: z
      .array(
        z
          .object({
            arn: loadBalancerArn,
            /** Only these listeners; all of the load balancer's listeners when omitted. */
            listeners: z.array(listenerArn).min(1).optional(),
          })
          .strict(),
      )
      .min(1, 'at least one load balancer'),
    /** Tag on a target group naming its cluster, used where a cluster lists no target groups. */
    clusterTagKey: z.string().min(1).max(128).default('clustershift:cluster'),
    clusters: z
      .array(
        z
          .object({
            name: clusterName,
            /** CloudWatch alarms (metric or composite) that say this cluster is sick. */
            healthAlarms: z.array(alarmName).default([]),
            /** Explicit target groups; otherwise target groups tagged `<clusterTagKey>=<name>`. */
            targetGroups: z.array(targetGroupArn).min(1).optional(),
          })
          .strict(),
      )
      .min(1, 'at least one cluster')
      .max(5, 'an ALB forward action holds at most 5 target groups, so at most 5 clusters'),
    /** Alarms that must be OK before and during every step (error rate, latency …). */
    gateAlarms: z.array(alarmName).default([]),
    drain: phaseDefaults([0.25, 0.5, 0.75, 1], 300, 30),
    restore: phaseDefaults([0.25, 0.5, 0.75, 1], 300, 30),
    shift: phaseDefaults([0.25, 0.5, 0.75, 1], 300, 30),
    failover: z
      .object({
        steps: stepsSchema.default([1]),
        bakeSeconds: seconds(86_400).default(0),
        checkIntervalSeconds: z.number().int().min(1).max(3_600).default(10),
        cooldownSeconds: seconds(86_400).default(900),
        autoRestore: z
          .object({ enabled: z.boolean().default(false), afterOkSeconds: seconds(86_400).default(1_800) })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    thresholds: z
      .object({
        /** A receiving target group needs at least this many healthy targets. */
        minHealthyTargets: z.number().int().min(0).default(1),
        /** … and at least this percentage of its registered targets healthy. */
        minHealthyPercent: z.number().min(0).max(100).default(50),
        /** Requests per minute per target group at or below which a drained cluster counts as drained. */
        drainedRequestsPerMinute: z.number().min(0).default(0),
        /** How long verification may wait for traffic to fall to the threshold. */
        verifyWindowSeconds: seconds(3_600).default(300),
        verifyIntervalSeconds: z.number().int().min(1).max(600).default(60),
      })
      .strict()
      .prefault({}),
    /** On a failure after the first write: return every route to its snapshot, or leave it where it is. */
    onFailure: z.enum(['rollback', 'hold']).default('rollback'),
    lock: z
      .object({ leaseSeconds: z.number().int().min(60).max(86_400).default(900) })
      .strict()
      .prefault({}),
    notifications: z
      .object({
        level: z.enum(['all', 'steps', 'failures']).default('steps'),
        snsTopicArn: z
          .string()
          .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/, 'must be an SNS topic ARN')
          .optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.clusters.forEach((cluster, index) => {
      if (seen.has(cluster.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['clusters', index, 'name'],
          message: `duplicate cluster "${cluster.name}"`,
        });
      }
      seen.add(cluster.name);
    });
    const owner = new Map<string, string>();
    config.clusters.forEach((cluster, clusterIndex) => {
      cluster.targetGroups?.forEach((arn, tgIndex) => {
        const previous = owner.get(arn);
        if (previous !== undefined && previous !== cluster.name) {
          ctx.addIssue({
            code: 'custom',
            path: ['clusters', clusterIndex, 'targetGroups', tgIndex],
            message: `target group is already listed under cluster "${previous}"`,
          });
        }
        owner.set(arn, cluster.name);
      });
    });
    const lbs = new Set<string>();
    config.loadBalancers.forEach((lb, index) => {
      if (lbs.has(lb.arn)) {
        ctx.addIssue({
          code: 'custom',
          path: ['loadBalancers', index, 'arn'],
          message: 'duplicate load balancer',
        });
      }
      lbs.add(lb.arn);
      const lbSuffix = lb.arn.split(':loadbalancer/')[1];
      lb.listeners?.forEach((listener, listenerIndex) => {
        if (!listener.includes(`:listener/${lbSuffix}/`)) {
          ctx.addIssue({
            code: 'custom',
            path: ['loadBalancers', index, 'listeners', listenerIndex],
            message: 'listener does not belong to this load balancer',
          });
        }
      });
      if (!lb.arn.includes(`:elasticloadbalancing:${config.region}:`)) {
        ctx.addIssue({
          code: 'custom',
          path: ['loadBalancers', index, 'arn'],
          message: `load balancer is not in the fleet's region ${config.region}`,
        });
      }
    });
  });

/** The fleet config as written in YAML (defaults optional). */
export type FleetConfigInput = z.input<typeof fleetConfigSchema>;
/** The fleet config with every default applied. */
export type FleetConfig = z.output<typeof fleetConfigSchema>;
export type ClusterConfig = FleetConfig['clusters'][number];
export type PhaseSettings = FleetConfig['drain'];

/** Validates an already-parsed value (JSON from the environment, YAML from a file). */
export const validateFleetConfig = (value: unknown, source = '(inline)'): FleetConfig => {
  const result = fleetConfigSchema.safeParse(value);
  if (!result.success) throw new InvalidConfigError(source, toFieldIssues(result.error));
  return result.data;
};
