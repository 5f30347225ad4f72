import { TwinError } from '../errors';
import { optionalInteger, optionalString } from '../protocol/scalars';

/**
 * nextToken paging as Step Functions does it: maxResults 0 or absent means the default (100), at most
 * 1000; a token only works for the listing that issued it (`scope`), otherwise InvalidToken.
 */
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

const encode = (scope: string, offset: number): string =>
  Buffer.from(JSON.stringify({ scope, offset }), 'utf8').toString('base64url');

const decode = (token: string, scope: string): number => {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      scope?: unknown;
      offset?: unknown;
    };
    if (
      parsed.scope === scope &&
      typeof parsed.offset === 'number' &&
      Number.isInteger(parsed.offset) &&
      parsed.offset >= 0
    ) {
      return parsed.offset;
    }
  } catch {
    // Not ours: answered below like any other foreign token.
  }
  throw new TwinError('InvalidToken', `Invalid Token: '${token.slice(0, 100)}'`);
};

export const page = <T>(
  items: readonly T[],
  input: { maxResults?: unknown; nextToken?: unknown },
  scope: string,
): { items: T[]; nextToken?: string } => {
  const maxResults = optionalInteger(input.maxResults, 'maxResults') ?? 0;
  if (maxResults < 0 || maxResults > MAX_PAGE) {
    throw new TwinError(
      'ValidationException',
      `1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value between 0 and ${MAX_PAGE}`,
    );
  }
  const size = maxResults === 0 ? DEFAULT_PAGE : maxResults;
  const token = optionalString(input.nextToken, 'nextToken');
  const offset = token === undefined ? 0 : decode(token, scope);
  const end = offset + size;
  return {
    items: items.slice(offset, end),
    ...(end < items.length ? { nextToken: encode(scope, end) } : {}),
  };
};
