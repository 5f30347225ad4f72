/**
 * State reasons in CloudWatch's wording, e.g. "Threshold Crossed: 1 out of the last 1 datapoints
 * [12.0 (23/11/26 22:31:00)] was greater than the threshold (5.0) (minimum 1 datapoint for OK ->
 * ALARM transition)." and, for composites, "<child ARN> transitioned to ALARM at Friday 22 July,
 * 2022 15:57:45 UTC".
 */
const OPERATOR_WORDS: Readonly<Record<string, string>> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** Numbers as CloudWatch (Java) prints doubles: 12 → 12.0. */
export const javaDouble = (value: number): string =>
  Number.isInteger(value) && Math.abs(value) < 1e7 ? value.toFixed(1) : String(value);

const two = (n: number): string => String(n).padStart(2, '0');

/** `dd/MM/yy HH:mm:ss`, UTC. */
const shortDate = (ms: number): string => {
  const d = new Date(ms);
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
};

export interface Datapoint {
  readonly timestamp: number;
  readonly value: number;
}

export const thresholdReason = (options: {
  readonly toAlarm: boolean;
  /** The datapoints the decision rests on (breaching ones for ALARM, the others for OK), oldest first. */
  readonly datapoints: readonly Datapoint[];
  readonly evaluationPeriods: number;
  readonly needed: number;
  readonly comparisonOperator: string;
  readonly threshold: number;
}): string => {
  const { datapoints, toAlarm } = options;
  const listed = datapoints
    .map((point) => `${javaDouble(point.value)} (${shortDate(point.timestamp)})`)
    .join(', ');
  const verb = datapoints.length === 1 ? 'was' : 'were';
  const words = OPERATOR_WORDS[options.comparisonOperator] ?? options.comparisonOperator;
  const plural = options.needed === 1 ? 'datapoint' : 'datapoints';
  const transition = toAlarm ? 'OK -> ALARM' : 'ALARM -> OK';
  return (
    `Threshold Crossed: ${datapoints.length} out of the last ${options.evaluationPeriods} datapoints [${listed}] ` +
    `${verb} ${toAlarm ? '' : 'not '}${words} the threshold (${javaDouble(options.threshold)}) ` +
    `(minimum ${options.needed} ${plural} for ${transition} transition).`
  );
};

export const insufficientDataReason = (missing: number): string =>
  `Insufficient Data: ${missing} ${missing === 1 ? 'datapoint was' : 'datapoints were'} unknown.`;

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `Friday 22 July, 2022 15:57:45 UTC`. */
export const longDate = (date: Date): string =>
  `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}, ${date.getUTCFullYear()} ` +
  `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC`;

/** CloudWatch's timestamp inside reasonData: `2019-10-02T16:59:00.000+0000`. */
export const reasonTimestamp = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '+0000');
