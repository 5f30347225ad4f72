/** Number and time formats of the report: counts like CloudWatch's axis (`12k`), times in UTC. */

const UNITS: readonly [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** `950`, `1.25k`, `12.5k`, `125k`, `3M`: three significant digits at most, no trailing zeros. */
export const compactCount = (value: number): string => {
  if (!Number.isFinite(value)) return '–';
  const magnitude = Math.abs(value);
  for (const [size, unit] of UNITS) {
    // 999 600 shows as 1M, not 1000k: at three digits it rounds up to the next unit anyway.
    if (magnitude >= size * 0.9995) return `${trimmed(value / size)}${unit}`;
  }
  return trimmed(value);
};

const trimmed = (value: number): string => {
  const magnitude = Math.abs(value);
  const decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  return String(Number(value.toFixed(decimals)));
};

/** `10:04` or, with seconds, `10:04:30` (UTC). */
export const clockTime = (at: Date, seconds = false): string =>
  validDate(at) ? at.toISOString().slice(11, seconds ? 19 : 16) : '–';

/** `2026-11-23 10:04:30 UTC`. */
export const dateTime = (at: Date | undefined): string =>
  at !== undefined && validDate(at) ? `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC` : '–';

/** `11-23 10:04` (UTC), for axes that span more than a day. */
export const dayAndTime = (at: Date): string =>
  validDate(at) ? `${at.toISOString().slice(5, 10)} ${clockTime(at)}` : '–';

/** `1 h 05 min`, `4 min 30 s`, `12 s`. */
export const duration = (ms: number): string => {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const total = Math.round(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  if (minutes > 0) return `${minutes} min${seconds > 0 ? ` ${seconds} s` : ''}`;
  return `${seconds} s`;
};

/** A share (0–1) as a whole percent, `–` when unknown. */
export const percent = (share: number | undefined): string =>
  share === undefined || !Number.isFinite(share) ? '–' : `${Math.round(share * 100)} %`;

export const validDate = (at: Date | undefined): at is Date =>
  at instanceof Date && Number.isFinite(at.getTime());
