/**
 * HTTP API route keys (`GET /pets/{id}`, `ANY /{proxy+}`, `$default`) and how API Gateway picks the
 * route for a request: the most specific path wins (a literal segment over a `{param}`, a `{param}`
 * over a greedy `{param+}`), then a named method over `ANY`; `$default` only when nothing else
 * matches. Parsed by hand: the grammar is four rules, and the loader needs the same parser to refuse
 * a bad RouteKey naming it.
 */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;
export type RouteMethod = (typeof HTTP_METHODS)[number];

export type PathSegment =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

export type RouteKey =
  | { readonly kind: 'default'; readonly text: '$default' }
  | {
      readonly kind: 'path';
      readonly text: string;
      readonly method: RouteMethod;
      readonly segments: readonly PathSegment[];
    };

export class InvalidRouteKeyError extends Error {
  override readonly name = 'InvalidRouteKeyError';
}

const PARAM = /^\{([A-Za-z0-9._-]+)(\+?)\}$/;

/** Parses a RouteKey, or throws InvalidRouteKeyError saying what is wrong with it. */
export const parseRouteKey = (text: string): RouteKey => {
  if (text === '$default') return { kind: 'default', text };
  const space = text.indexOf(' ');
  const method = text.slice(0, space);
  const path = text.slice(space + 1);
  if (space <= 0 || !(HTTP_METHODS as readonly string[]).includes(method)) {
    throw new InvalidRouteKeyError(
      `route key "${text}" must be "$default" or "<method> /<path>" with a method of ${HTTP_METHODS.join(', ')}`,
    );
  }
  if (!path.startsWith('/'))
    throw new InvalidRouteKeyError(`route key "${text}": the path must start with /`);
  const parts = path === '/' ? [] : path.slice(1).split('/');
  const names = new Set<string>();
  const segments = parts.map((part, index): PathSegment => {
    if (part === '') throw new InvalidRouteKeyError(`route key "${text}": empty path segment`);
    const param = PARAM.exec(part);
    if (param === null) {
      if (/[{}]/.test(part)) throw new InvalidRouteKeyError(`route key "${text}": bad path variable ${part}`);
      return { kind: 'literal', text: part };
    }
    const name = param[1] ?? '';
    if (names.has(name)) throw new InvalidRouteKeyError(`route key "${text}": path variable ${name} twice`);
    names.add(name);
    if (param[2] === '+') {
      if (index !== parts.length - 1) {
        throw new InvalidRouteKeyError(`route key "${text}": a greedy variable {${name}+} must come last`);
      }
      return { kind: 'greedy', name };
    }
    return { kind: 'param', name };
  });
  return { kind: 'path', text, method: method as RouteMethod, segments };
};

export interface RouteMatch {
  readonly pathParameters: Readonly<Record<string, string>>;
  /** Orders matches: lower is more specific. */
  readonly rank: readonly number[];
}

const SEGMENT_RANK = { literal: 0, param: 1, greedy: 2 } as const;

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/** Whether a path route matches `method` and `path` (the raw path, no query); `undefined` when not. */
export const matchRoute = (route: RouteKey, method: string, path: string): RouteMatch | undefined => {
  if (route.kind === 'default') return undefined;
  if (route.method !== 'ANY' && route.method !== method) return undefined;
  const parts = path === '/' ? [] : path.slice(1).split('/');
  const pathParameters: Record<string, string> = {};
  const rank: number[] = [];
  for (const [index, segment] of route.segments.entries()) {
    const part = parts[index];
    if (part === undefined) return undefined;
    if (segment.kind === 'greedy') {
      pathParameters[segment.name] = parts.slice(index).map(decodeSegment).join('/');
      rank.push(SEGMENT_RANK.greedy);
      return { pathParameters, rank: [...rank, route.method === 'ANY' ? 1 : 0] };
    }
    if (segment.kind === 'literal') {
      if (decodeSegment(part) !== segment.text) return undefined;
    } else {
      if (part === '') return undefined;
      pathParameters[segment.name] = decodeSegment(part);
    }
    rank.push(SEGMENT_RANK[segment.kind]);
  }
  if (parts.length !== route.segments.length) return undefined;
  // Exact-length routes rank before any greedy one at the same depth: 3 sorts after 0–2.
  return { pathParameters, rank: [...rank, 3, route.method === 'ANY' ? 1 : 0] };
};

/** Negative when `a` is the more specific match. */
export const compareMatches = (a: RouteMatch, b: RouteMatch): number => {
  const length = Math.max(a.rank.length, b.rank.length);
  for (let index = 0; index < length; index += 1) {
    const difference = (a.rank[index] ?? -1) - (b.rank[index] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
};
