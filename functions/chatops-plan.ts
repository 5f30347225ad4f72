import { defaultCloudWatchClient } from '../aws/cloudwatch';
import { defaultElbv2Client } from '../aws/elbv2-client';
import { ShiftStoreReader } from '../aws/store';
import { runPlanCommand } from './chat/plan';
import { chatWorkerHandler } from './chat/worker';
import { runtimeWith } from './shared/runtime';

/** The chat worker for `plan`: reads the fleet and plans as the workflow would, writing nothing (a store that only reads). */
export const handler = chatWorkerHandler(
  'plan',
  { elbv2: defaultElbv2Client, cloudwatch: defaultCloudWatchClient },
  runPlanCommand,
  () => runtimeWith(ShiftStoreReader),
);
