/** `2026-11-23 10:00:00` in UTC: one timezone for everyone reading a shared incident channel. */
export const utc = (at: Date | string | undefined): string => {
  if (at === undefined) return '';
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return String(at);
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, '');
};
