import * as z from 'zod/mini';
import { ELBV2_API_BUCKETS } from './aws-limits';
import { CHAT_COMMANDS, READ_ONLY_CHAT_COMMANDS } from './chat-commands';
import { InvalidConfigError } from './errors';
import { NOTIFICATION_LEVELS } from './notification-levels';
import { toFieldIssues } from './zod-issues';

const arnPattern = (pattern: RegExp, message: string) => z.string().check(z.regex(pattern, message));

const loadBalancerArn = arnPattern(
  /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\/[A-Za-z0-9-]+\/[a-f0-9]+$/,
  'must be an Application Load Balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>)',
);
const listenerArn = arnPattern(
  /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener\/app\/[A-Za-z0-9-]+\/[a-f0-9]+\/[a-f0-9]+$/,
  'must be a listener ARN of an Application Load Balancer',
);
const targetGroupArn = arnPattern(
  /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]+\/[a-f0-9]+$/,
  'must be a target group ARN',
);
/** A Secrets Manager secret: its name, or its full ARN. */
const secretRef = z
  .string()
  .check(
    z.regex(
      /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+|[A-Za-z0-9/_+=.@-]{1,512})$/,
      'must be a Secrets Manager secret name or ARN',
    ),
  );
/**
 * A customer-managed KMS key by its key ARN. Not an alias: an IAM policy grants the use of a key only
 * through the key's own ARN, so a role given an alias ARN could still not decrypt.
 */
const kmsKeyArn = arnPattern(
  /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(mrk-)?[a-f0-9-]{32,36}$/,
  'must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key id>), not an alias: IAM grants the use of a key by its key ARN only',
);
/** A chat user or channel id (Slack's U…/W…/C…/G… ids, or a generic webhook's own names). */
const chatId = z
  .string()
  .check(z.regex(/^[A-Za-z0-9._@-]{1,64}$/, 'must be a user or channel id (letters, digits, . _ @ -)'));

/**
 * White space at either end (JavaScript's `\s`: no-break and ideographic spaces too) or a line break
 * anywhere. A health alarm's name goes into the request's `requestedBy` (`alarm:<name>`, pattern
 * `\S.{0,254}` in request.ts), which a name starting with white space or holding a line break does
 * not match: every event of the alarm would be refused, its failover never started. White space at
 * the end is the same slip (a stray space in quotes), and gate alarms follow the same rule.
 */
const ODD_ALARM_NAME = /^\s|\s$|[\n\r\u2028\u2029]/;
const alarmName = z.string().check(
  z.minLength(1, 'alarm name must not be empty'),
  z.maxLength(255),
  z.refine(
    (name) => !ODD_ALARM_NAME.test(name),
    'alarm name must not start or end with white space or contain line breaks',
  ),
);
const clusterName = z
  .string()
  .check(
    z.regex(
      /^[a-z][a-z0-9-]{0,30}$/,
      'cluster names are lowercase letters, digits and dashes, starting with a letter',
    ),
  );

/** Fractions of the way from W0 to W1: strictly increasing, in (0, 1], ending at 1. */
export const stepsSchema = z
  .array(z.number().check(z.gt(0, 'each step is a fraction > 0'), z.lte(1, 'each step is a fraction <= 1')))
  .check(
    z.minLength(1, 'at least one step'),
    z.maxLength(20, 'at most 20 steps'),
    z.refine(
      (steps) => steps.every((step, i) => i === 0 || step > (steps[i - 1] ?? 0)),
      'steps must be strictly increasing',
    ),
    z.refine((steps) => steps[steps.length - 1] === 1, 'the last step must be 1 (the whole way)'),
  );

/** A whole number between min and max. */
export const wholeNumber = (min: number, max: number, message = 'must be a whole number') =>
  z.int(message).check(z.gte(min), z.lte(max));
/** Default share of the ELBv2 describe bucket clustershift may spend (the rest is the controllers'). */
export const DEFAULT_DESCRIBE_SHARE = 0.5;
/** Fewer shared tokens than this and the pacer could not lease a token while one is in use elsewhere. */
export const MIN_DESCRIBE_TOKENS = 2;

/** The longest fleet-lock lease the config allows (a day); the workflow waits out up to one. */
export const MAX_LEASE_SECONDS = 86_400;

const seconds = (max: number) => wholeNumber(0, max, 'must be a whole number of seconds');

const phaseDefaults = (steps: number[], bakeSeconds: number, checkIntervalSeconds: number) =>
  z.prefault(
    z.strictObject({
      steps: z._default(stepsSchema, steps),
      bakeSeconds: z._default(seconds(86_400), bakeSeconds),
      checkIntervalSeconds: z._default(wholeNumber(1, 3_600), checkIntervalSeconds),
    }),
    {},
  );

export const fleetConfigSchema = z
  .strictObject({
    version: z._default(z.literal(1), 1),
    fleet: z
      .string()
      .check(
        z.regex(
          /^[a-z][a-z0-9-]{0,40}$/,
          'fleet names are lowercase letters, digits and dashes, starting with a letter',
        ),
      ),
    region: z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1')),
    loadBalancers: z
      .array(
        z.strictObject({
          arn: loadBalancerArn,
          /** Only these listeners; all of the load balancer's listeners when omitted. */
          listeners: z.optional(z.array(listenerArn).check(z.minLength(1))),
        }),
      )
      .check(z.minLength(1, 'at least one load balancer')),
    /** Tag on a target group naming its cluster, used where a cluster lists no target groups. */
    clusterTagKey: z._default(z.string().check(z.minLength(1), z.maxLength(128)), 'clustershift:cluster'),
    clusters: z
      .array(
        z.strictObject({
          name: clusterName,
          /** CloudWatch alarms (metric or composite) that say this cluster is sick. */
          healthAlarms: z._default(z.array(alarmName), []),
          /** Explicit target groups; otherwise target groups tagged `<clusterTagKey>=<name>`. */
          targetGroups: z.optional(z.array(targetGroupArn).check(z.minLength(1))),
        }),
      )
      .check(
        z.minLength(1, 'at least one cluster'),
        z.maxLength(5, 'an ALB forward action holds at most 5 target groups, so at most 5 clusters'),
      ),
    /** Alarms that must be OK before and during every step (error rate, latency …). */
    gateAlarms: z._default(z.array(alarmName), []),
    drain: phaseDefaults([0.25, 0.5, 0.75, 1], 300, 30),
    restore: phaseDefaults([0.25, 0.5, 0.75, 1], 300, 30),
    shift: phaseDefaults([0.25, 0.5, 0.75, 1], 300, 30),
    failover: z.prefault(
      z.strictObject({
        steps: z._default(stepsSchema, [1]),
        bakeSeconds: z._default(seconds(86_400), 0),
        checkIntervalSeconds: z._default(wholeNumber(1, 3_600), 10),
        cooldownSeconds: z._default(seconds(86_400), 900),
        autoRestore: z.prefault(
          z.strictObject({
            enabled: z._default(z.boolean(), false),
            afterOkSeconds: z._default(seconds(86_400), 1_800),
          }),
          {},
        ),
      }),
      {},
    ),
    thresholds: z.prefault(
      z.strictObject({
        /** A receiving target group needs at least this many healthy targets. */
        minHealthyTargets: z._default(wholeNumber(0, 100_000), 1),
        /** … and at least this percentage of its registered targets healthy. */
        minHealthyPercent: z._default(z.number().check(z.gte(0), z.lte(100)), 50),
        /** Requests per minute per target group at or below which a drained cluster counts as drained. */
        drainedRequestsPerMinute: z._default(z.number().check(z.gte(0)), 0),
        /** How long verification may wait for traffic to fall to the threshold. */
        verifyWindowSeconds: z._default(seconds(3_600), 300),
        verifyIntervalSeconds: z._default(wholeNumber(1, 600), 60),
      }),
      {},
    ),
    /** On a failure after the first write: return every route to its snapshot, or leave it where it is. */
    onFailure: z._default(z.enum(['rollback', 'hold']), 'rollback'),
    lock: z.prefault(
      z.strictObject({ leaseSeconds: z._default(wholeNumber(60, MAX_LEASE_SECONDS), 900) }),
      {},
    ),
    limits: z.prefault(
      z.strictObject({
        elbv2: z.prefault(
          z.strictObject({
            /**
             * The share of the account's ELBv2 describe bucket (capacity and refill rate) that all of
             * clustershift's functions together may spend; the rest is left to the AWS Load Balancer
             * Controllers (which register the receiving pods during a shift), the console and others.
             */
            describeShare: z._default(
              z.number().check(z.gt(0, 'must be > 0'), z.lte(1, 'must be <= 1 (the whole bucket)')),
              DEFAULT_DESCRIBE_SHARE,
            ),
            /** The account's describe bucket: AWS's documented figures unless AWS Support raised them. */
            describeBucket: z._default(
              z.strictObject({
                capacity: wholeNumber(1, 100_000, 'must be a whole number of tokens'),
                refillPerSecond: z.number().check(z.gt(0, 'must be > 0'), z.lte(100_000)),
              }),
              { ...ELBV2_API_BUCKETS.describe },
            ),
          }),
          {},
        ),
      }),
      {},
    ),
    notifications: z.prefault(
      z.strictObject({
        /** all: every step and every outcome; steps: each step and the outcome; failures: failures and refusals only. */
        level: z._default(z.enum(NOTIFICATION_LEVELS), 'steps'),
        snsTopicArn: z.optional(
          arnPattern(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/, 'must be an SNS topic ARN'),
        ),
        /**
         * The customer-managed KMS key the topic is encrypted with (SSE-KMS): the notifying functions
         * get kms:GenerateDataKey* and kms:Decrypt on it, for this topic only.
         */
        snsTopicKmsKeyArn: z.optional(kmsKeyArn),
        /** Slack incoming webhook: the secret's SecretString is the webhook URL (it is a credential). */
        slack: z.optional(
          z.strictObject({
            webhookUrlSecret: secretRef,
            /** The customer-managed KMS key of that secret: the notifying functions may decrypt it, for this secret only. */
            kmsKeyArn: z.optional(kmsKeyArn),
          }),
        ),
      }),
      {},
    ),
    chatops: z.prefault(
      z.strictObject({
        /** Deploys the HTTP API and its handlers. */
        enabled: z._default(z.boolean(), false),
        /** The Slack app's signing secret (SecretString), used to check every request's signature. */
        signingSecret: z.optional(secretRef),
        /** Secret of the generic HMAC-signed JSON webhook; its route exists only when this is set. */
        webhookSecret: z.optional(secretRef),
        /**
         * The customer-managed KMS key the chat secrets (signing, webhook) are encrypted with: the chat
         * function may decrypt it, for those secrets only.
         */
        secretsKmsKeyArn: z.optional(kmsKeyArn),
        /** Channels (Slack channel IDs) commands are accepted from; any other channel is refused. */
        channels: z._default(z.array(chatId), []),
        /** Who may run what; anyone else is refused. */
        users: z._default(
          z.array(
            z.strictObject({
              id: chatId,
              /** Command names, or `all`. */
              commands: z._default(z.array(z.enum(['all', ...CHAT_COMMANDS])).check(z.minLength(1)), [
                ...READ_ONLY_CHAT_COMMANDS,
              ]),
            }),
          ),
          [],
        ),
        /**
         * Hosts that replies may be posted to (Slack's response_url, a webhook's callbackUrl), over
         * https. Anything else is refused, so a request cannot make the handler call an arbitrary URL.
         */
        responseHosts: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(253))), [
          'hooks.slack.com',
        ]),
      }),
      {},
    ),
  })
  .check(
    z.superRefine((config, ctx) => {
      const { chatops, notifications } = config;
      if (notifications.snsTopicKmsKeyArn !== undefined && notifications.snsTopicArn === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['notifications', 'snsTopicKmsKeyArn'],
          message: 'names the key of a topic, but notifications.snsTopicArn is not set',
        });
      }
      if (chatops.secretsKmsKeyArn !== undefined && chatops.signingSecret === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['chatops', 'secretsKmsKeyArn'],
          message: 'names the key of the chat secrets, but chatops.signingSecret is not set',
        });
      }
      if (chatops.enabled) {
        const missing = (field: string, message: string) =>
          ctx.addIssue({ code: 'custom', path: ['chatops', field], message });
        if (chatops.signingSecret === undefined)
          missing('signingSecret', 'required when chatops is enabled (the Slack signing secret)');
        if (chatops.channels.length === 0)
          missing('channels', 'list at least one channel when chatops is enabled');
        if (chatops.users.length === 0) missing('users', 'list at least one user when chatops is enabled');
      }
      const { describeShare, describeBucket } = config.limits.elbv2;
      if (describeShare * describeBucket.capacity < MIN_DESCRIBE_TOKENS) {
        ctx.addIssue({
          code: 'custom',
          path: ['limits', 'elbv2', 'describeShare'],
          message: `leaves clustershift ${describeShare * describeBucket.capacity} of the describe bucket's ${describeBucket.capacity} tokens: it needs at least ${MIN_DESCRIBE_TOKENS} (share × capacity)`,
        });
      }
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
      // One alarm event starts the failover rule of every cluster listing the alarm: two at once.
      const alarmOwner = new Map<string, string>();
      config.clusters.forEach((cluster, clusterIndex) => {
        cluster.healthAlarms.forEach((alarm, alarmIndex) => {
          const previous = alarmOwner.get(alarm);
          if (previous !== undefined && previous !== cluster.name) {
            ctx.addIssue({
              code: 'custom',
              path: ['clusters', clusterIndex, 'healthAlarms', alarmIndex],
              message: `alarm "${alarm}" is already a health alarm of cluster "${previous}": one ALARM event would start a failover of both ${previous} and ${cluster.name}`,
            });
          }
          if (previous === undefined) alarmOwner.set(alarm, cluster.name);
        });
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
    }),
  );

/** The fleet config as written in YAML (defaults optional). */
export type FleetConfigInput = z.input<typeof fleetConfigSchema>;
/** The fleet config with every default applied. */
export type FleetConfig = z.output<typeof fleetConfigSchema>;

/** Validates an already-parsed value (JSON from the environment, YAML from a file). */
export const validateFleetConfig = (value: unknown, source = '(inline)'): FleetConfig => {
  const result = fleetConfigSchema.safeParse(value);
  if (!result.success) throw new InvalidConfigError(source, toFieldIssues(result.error));
  return result.data;
};
