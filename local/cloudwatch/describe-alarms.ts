import type { CompositeAlarm, DescribeAlarmsOutput, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { validationError } from '../errors';
import { optionalInteger } from '../protocol/scalars';
import type { TwinInput } from '../service';
import { type AlarmStore, describeAlarm, type StoredAlarm } from './alarms';
import { ALARM_STATES, constraint, listOf, optionalEnum, stringIn, stringList } from './input';
import { decodeToken, encodeToken } from './paging';

/**
 * DescribeAlarms: filters as AWS documents them (AlarmTypes defaults to metric alarms only;
 * ChildrenOfAlarmName / ParentsOfAlarmName exclude every other filter), alarms in name order,
 * paged by MaxRecords (1–100, default 50) across both types.
 */
const ALARM_TYPES = ['MetricAlarm', 'CompositeAlarm', 'LogAlarm'] as const;
const DEFAULT_MAX_RECORDS = 50;
const TOKEN_KIND = 'DescribeAlarms';

const maxRecords = (value: unknown): number => {
  const max = optionalInteger(value, 'maxRecords') ?? DEFAULT_MAX_RECORDS;
  if (max < 1) throw constraint('maxRecords', max, 'Member must have value greater than or equal to 1');
  if (max > 100) throw constraint('maxRecords', max, 'Member must have value less than or equal to 100');
  return max;
};

const RELATION_EXCLUDES = [
  'AlarmNames',
  'AlarmNamePrefix',
  'AlarmTypes',
  'StateValue',
  'ActionPrefix',
  'ChildrenOfAlarmName',
  'ParentsOfAlarmName',
] as const;

/** Present and not empty (awsQuery sends an empty list as an empty string). */
const isGiven = (value: unknown): boolean =>
  value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);

/** Alarms related to a named one, in the reduced shape AWS documents for these queries. */
const related = (store: AlarmStore, input: TwinInput): Array<MetricAlarm | CompositeAlarm> | undefined => {
  const children = stringIn(input.ChildrenOfAlarmName, 'childrenOfAlarmName', 1, 255);
  const parents = stringIn(input.ParentsOfAlarmName, 'parentsOfAlarmName', 1, 255);
  const relation =
    children !== undefined ? 'ChildrenOfAlarmName' : parents !== undefined ? 'ParentsOfAlarmName' : undefined;
  if (relation === undefined) return undefined;
  const others = RELATION_EXCLUDES.filter((field) => field !== relation && isGiven(input[field]));
  if (others.length > 0)
    throw validationError(
      `With ${relation} only MaxRecords and NextToken may be specified; got ${others.join(', ')} too.`,
    );
  if (children !== undefined) {
    const composite = store.get(children);
    const names = composite?.type === 'CompositeAlarm' ? new Set(composite.children) : new Set<string>();
    return store
      .all()
      .filter((alarm) => names.has(alarm.name))
      .map((alarm) => ({
        AlarmName: alarm.name,
        AlarmArn: alarm.arn,
        StateValue: alarm.state.value,
        StateUpdatedTimestamp: alarm.state.updatedAt,
      }));
  }
  return store
    .all()
    .filter((alarm) => alarm.type === 'CompositeAlarm' && alarm.children.includes(parents as string))
    .map((alarm) => ({ AlarmName: alarm.name, AlarmArn: alarm.arn }));
};

const filtered = (store: AlarmStore, input: TwinInput): StoredAlarm[] => {
  const names =
    input.AlarmNames === undefined ? undefined : stringList(input.AlarmNames, 'alarmNames', 100, 255);
  const prefix = stringIn(input.AlarmNamePrefix, 'alarmNamePrefix', 1, 255);
  if (names !== undefined && names.length > 0 && prefix !== undefined)
    throw validationError('AlarmNames and AlarmNamePrefix cannot be specified together.');
  const types = (listOf(input.AlarmTypes, 'alarmTypes', 3) ?? ['MetricAlarm']).map((type, index) =>
    optionalEnum(type, `alarmTypes.${index + 1}.member`, ALARM_TYPES),
  );
  const state = optionalEnum(input.StateValue, 'stateValue', ALARM_STATES);
  const actionPrefix = stringIn(input.ActionPrefix, 'actionPrefix', 1, 1024);
  // An empty AlarmNames list filters nothing out, as if it were absent.
  const wanted = names === undefined || names.length === 0 ? undefined : new Set(names);
  return store
    .all()
    .filter(
      (alarm) =>
        types.includes(alarm.type) &&
        (wanted === undefined || wanted.has(alarm.name)) &&
        (prefix === undefined || alarm.name.startsWith(prefix)) &&
        (state === undefined || alarm.state.value === state) &&
        (actionPrefix === undefined ||
          (alarm.config.AlarmActions ?? []).some((a) => a.startsWith(actionPrefix))),
    );
};

export const describeAlarms = (store: AlarmStore, input: TwinInput): DescribeAlarmsOutput => {
  const max = maxRecords(input.MaxRecords);
  const token = stringIn(input.NextToken, 'nextToken', 1, 1024);
  const after = token === undefined ? undefined : decodeToken<string>(token, TOKEN_KIND, 'string');
  const reduced = related(store, input);
  const entries: Array<{ name: string; type: string; shape: MetricAlarm | CompositeAlarm }> =
    reduced === undefined
      ? filtered(store, input).map((alarm) => ({
          name: alarm.name,
          type: alarm.type,
          shape: describeAlarm(alarm),
        }))
      : reduced.map((shape) => ({
          name: shape.AlarmName ?? '',
          type: store.get(shape.AlarmName ?? '')?.type ?? 'MetricAlarm',
          shape,
        }));
  const remaining = after === undefined ? entries : entries.filter((entry) => entry.name > after);
  const page = remaining.slice(0, max);
  const last = page.at(-1);
  const wantsLogAlarms =
    reduced === undefined && (listOf(input.AlarmTypes, 'alarmTypes', 3) ?? []).includes('LogAlarm');
  return {
    MetricAlarms: page
      .filter((entry) => entry.type === 'MetricAlarm')
      .map((entry) => entry.shape as MetricAlarm),
    CompositeAlarms: page
      .filter((entry) => entry.type === 'CompositeAlarm')
      .map((entry) => entry.shape as CompositeAlarm),
    // The twin has no log alarms; it answers the list when asked, empty.
    ...(wantsLogAlarms ? { LogAlarms: [] } : {}),
    ...(remaining.length > max && last !== undefined
      ? { NextToken: encodeToken(TOKEN_KIND, last.name) }
      : {}),
  };
};
