export type { DeliveryRecord, DeliveryStatus, EventRecord } from './activity-log';
export { ALARM_STATE_CHANGE, alarmStateChangeEvent } from './alarm-event';
export {
  EventBridgeTwin,
  type EventBridgeTwinOptions,
  type EventsActivity,
  type RuleDefinition,
} from './bus';
export type { DeadLetterMessage, DeadLetterQueue, QueueSpec } from './dead-letters';
export { buildEvent, type EventEnvelope } from './envelope';
export { EXECUTION_STATUS_CHANGE, executionStatusChangeEvent } from './execution-event';
export type { RuleState, RuleTarget } from './rules';
