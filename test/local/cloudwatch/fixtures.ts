import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { TwinClock } from '../../../local/clock';
import { CloudWatchTwin, type CloudWatchTwinOptions } from '../../../local/cloudwatch';
import { TwinError } from '../../../local/errors';
import type { TwinInput } from '../../../local/service';

/** Monday 2025-01-06 12:00:00 UTC: on the hour, so minute and 5-minute periods start here. */
export const T0 = Date.UTC(2025, 0, 6, 12, 0, 0);
export const MINUTE = 60_000;
export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const arnOf = (name: string): string => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`;

/** A twin clock that only moves when advanced. */
export const frozenClock = (start = T0): TwinClock => new TwinClock(1, () => 0, start);

export const newTwin = (
  options: Partial<CloudWatchTwinOptions> = {},
): { twin: CloudWatchTwin; clock: TwinClock; call: (op: string, input: TwinInput) => unknown } => {
  const clock = options.clock ?? frozenClock();
  const twin = new CloudWatchTwin({ region: REGION, accountId: ACCOUNT, ...options, clock });
  const call = (op: string, input: TwinInput): unknown => {
    const operation = twin.operations[op];
    if (operation === undefined) throw new Error(`no operation ${op}`);
    return operation(input);
  };
  return { twin, clock, call };
};

/** A valid PutMetricAlarm input (as the JSON protocol delivers it), with overrides. */
export const metricAlarm = (name: string, overrides: TwinInput = {}): TwinInput => ({
  AlarmName: name,
  Namespace: 'AWS/ApplicationELB',
  MetricName: 'HTTPCode_Target_5XX_Count',
  Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/blue-svc1/73e2d6bc24d8a067' }],
  Statistic: 'Sum',
  Period: 60,
  EvaluationPeriods: 3,
  Threshold: 10,
  ComparisonOperator: 'GreaterThanThreshold',
  ...overrides,
});

/** The TwinError `act` throws (fails the test if it throws something else or nothing). */
export const twinErrorOf = (act: () => unknown): TwinError => {
  try {
    act();
  } catch (error) {
    if (error instanceof TwinError) return error;
    throw error;
  }
  throw new Error('expected a TwinError, but nothing was thrown');
};

export type WireProtocol = 'json' | 'cbor' | 'query';

/**
 * The raw SDK client as an application would build it, against the twin. `json` is the SDK's
 * default (awsJson1_0, query-compatible); `cbor` and `query` swap in the SDK's own Smithy RPC v2
 * CBOR and awsQuery protocol implementations, which other AWS SDKs and the CLI use.
 */
export const sdkClient = (endpoint: string, protocol: WireProtocol = 'json'): CloudWatchClient =>
  new CloudWatchClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    ...(protocol === 'cbor' ? { protocol: AwsSmithyRpcV2CborProtocol } : {}),
    ...(protocol === 'query' ? { protocol: AwsQueryProtocol } : {}),
  });
