import { defaultCloudWatchClient } from '../aws/cloudwatch';
import { defaultElbv2Client } from '../aws/elbv2-client';
import { defaultSfnClient } from '../aws/sfn';
import { ShiftStoreReader } from '../aws/store';
import { runStatusCommand } from './chat/status';
import { chatWorkerHandler } from './chat/worker';
import { runtimeWith } from './shared/runtime';

/** The chat worker for `status` and `history`: reads weights, alarms, metrics, running shifts (a store that only reads). */
export const handler = chatWorkerHandler(
  'status',
  { elbv2: defaultElbv2Client, cloudwatch: defaultCloudWatchClient, sfn: defaultSfnClient },
  runStatusCommand,
  () => runtimeWith(ShiftStoreReader),
);
