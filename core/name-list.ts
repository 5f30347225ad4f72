/**
 * A list of names for a message, bounded: an error's message becomes the execution's error cause and
 * rides in the workflow's state (256 KB per state), and a history entry lives in one DynamoDB item
 * (400 KB), so one naming every route of a 2,000-route fleet would not fit. The first `limit` names
 * are given and the rest counted; the error's details keep them all for logs.
 */
export const MESSAGE_NAMES_LIMIT = 50;

export const nameList = (names: readonly string[], limit: number = MESSAGE_NAMES_LIMIT): string =>
  names.length <= limit
    ? names.join(', ')
    : `${names.slice(0, limit).join(', ')} … and ${names.length - limit} more`;
