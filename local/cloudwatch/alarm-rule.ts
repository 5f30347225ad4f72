/**
 * The alarms a composite AlarmRule references, by name or ARN as written. The twin does not
 * evaluate rules (a composite's state is set with SetAlarmState), so this reads only what it needs:
 * the arguments of ALARM(…), OK(…), INSUFFICIENT_DATA(…) and the list of AT_LEAST(n, STATE, (…)).
 * Names may be double-quoted. Written by hand: AWS publishes the grammar in prose only.
 */
const FUNCTION_CALL = /\b(?:ALARM|OK|INSUFFICIENT_DATA)\s*\(\s*("[^"]*"|[^()"]*?)\s*\)/g;
const AT_LEAST = /\bAT_LEAST\s*\([^,()]*,\s*!?\s*(?:ALARM|OK|INSUFFICIENT_DATA)\s*,\s*\(([^()]*)\)\s*\)/g;

const unquote = (text: string): string => {
  const trimmed = text.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1)
    : trimmed;
};

/** Split on commas outside double quotes. */
const splitList = (text: string): string[] => {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      items.push(current);
      current = '';
    } else current += char;
  }
  items.push(current);
  return items.map(unquote).filter((item) => item !== '');
};

export const ruleReferences = (rule: string): string[] => {
  const references: string[] = [];
  const withoutAtLeast = rule.replace(AT_LEAST, (_match, list: string) => {
    references.push(...splitList(list));
    return ' ';
  });
  for (const match of withoutAtLeast.matchAll(FUNCTION_CALL)) {
    const reference = unquote(match[1] ?? '');
    if (reference !== '') references.push(reference);
  }
  return [...new Set(references)];
};
