import { TwinError } from '../errors';

/**
 * Opaque NextToken values: base64url JSON of where the next page starts, tagged with the operation
 * so a DescribeAlarms token is not accepted by GetMetricData. A token the twin did not issue is
 * InvalidNextToken, as AWS answers.
 */
export const encodeToken = (kind: string, position: string | number): string =>
  Buffer.from(JSON.stringify({ kind, position }), 'utf8').toString('base64url');

const invalid = (): TwinError => new TwinError('InvalidNextToken', 'The NextToken is not valid.');

export const decodeToken = <T extends string | number>(
  token: string,
  kind: string,
  type: 'string' | 'number',
): T => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const { kind: tokenKind, position } = parsed as { kind?: unknown; position?: unknown };
  if (tokenKind !== kind || typeof position !== type) throw invalid();
  return position as T;
};
