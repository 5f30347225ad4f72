import { type ExecutionStatusChange, executionStatusChangeDetail } from '../sfn';
import { buildEvent, type EventEnvelope } from './envelope';

export const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';

/** The event Step Functions sends when an execution starts or ends (source aws.states). */
export const executionStatusChangeEvent = (
  change: ExecutionStatusChange,
  where: { readonly account: string; readonly region: string },
): EventEnvelope =>
  buildEvent({
    source: 'aws.states',
    detailType: EXECUTION_STATUS_CHANGE,
    detail: executionStatusChangeDetail(change),
    resources: [change.executionArn],
    time: change.stopDate ?? change.startDate,
    ...where,
  });
