/**
 * An operation's result → the value awsJson1_0 serialises: Dates become epoch seconds (the
 * protocol's default timestamp format), non-finite numbers the strings Smithy JSON uses
 * ("NaN", "Infinity", "-Infinity"), undefined members are left out. Generic: nothing here is
 * CloudWatch-specific, so other awsJson services may use it too.
 */
export const toJsonOutput = (result: unknown): unknown => {
  if (result === null || result === undefined) return result;
  if (result instanceof Date) return result.getTime() / 1000;
  if (typeof result === 'number') {
    if (Number.isFinite(result)) return result;
    return Number.isNaN(result) ? 'NaN' : result > 0 ? 'Infinity' : '-Infinity';
  }
  if (Array.isArray(result)) return result.map((item) => toJsonOutput(item) ?? null);
  if (typeof result === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(result)) {
      if (value !== undefined) out[key] = toJsonOutput(value);
    }
    return out;
  }
  return result;
};
