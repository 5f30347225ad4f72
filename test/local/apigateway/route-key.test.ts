import fc from 'fast-check';
import {
  compareMatches,
  InvalidRouteKeyError,
  matchRoute,
  parseRouteKey,
  type RouteMatch,
} from '../../../local/apigateway/route-key';

const matched = (routeKey: string, method: string, path: string): RouteMatch | undefined =>
  matchRoute(parseRouteKey(routeKey), method, path);

/** The route keys API Gateway's routing documentation uses, most specific first for GET /pets/dog/1. */
const DOCUMENTED = ['GET /pets/dog/1', 'GET /pets/dog/{id}', 'GET /pets/{proxy+}', 'ANY /{proxy+}'];

/** The most specific of `keys` for a request, as the twin picks it. */
const chosen = (keys: readonly string[], method: string, path: string): string | undefined =>
  keys
    .map((key) => ({ key, match: matched(key, method, path) }))
    .filter((entry): entry is { key: string; match: RouteMatch } => entry.match !== undefined)
    .sort((a, b) => compareMatches(a.match, b.match))[0]?.key;

describe('HTTP API route keys', () => {
  it('parses methods, literal segments, path variables and a trailing greedy variable', () => {
    expect(parseRouteKey('POST /slack/commands')).toMatchObject({
      kind: 'path',
      method: 'POST',
      segments: [
        { kind: 'literal', text: 'slack' },
        { kind: 'literal', text: 'commands' },
      ],
    });
    expect(parseRouteKey('ANY /pets/{id}/{rest+}')).toMatchObject({
      method: 'ANY',
      segments: [{ kind: 'literal' }, { kind: 'param', name: 'id' }, { kind: 'greedy', name: 'rest' }],
    });
    expect(parseRouteKey('$default')).toEqual({ kind: 'default', text: '$default' });
  });

  it.each([
    ['FETCH /x', /method of GET, POST/],
    ['POST slack', /must start with \//],
    ['GET /a//b', /empty path segment/],
    ['GET /{proxy+}/more', /must come last/],
    ['GET /{id}/{id}', /path variable id twice/],
    ['GET /a{b', /bad path variable/],
    ['default', /must be "\$default"/],
  ])('refuses the route key %s, saying why', (key, why) => {
    expect(() => parseRouteKey(key)).toThrow(InvalidRouteKeyError);
    expect(() => parseRouteKey(key)).toThrow(why);
  });

  it('matches the method exactly, or any method for ANY', () => {
    expect(matched('POST /webhook', 'POST', '/webhook')).toBeDefined();
    expect(matched('POST /webhook', 'GET', '/webhook')).toBeUndefined();
    expect(matched('ANY /webhook', 'DELETE', '/webhook')).toBeDefined();
  });

  it('binds path variables, decoded, and a greedy variable to the rest of the path', () => {
    expect(matched('GET /pets/{id}', 'GET', '/pets/a%20dog')?.pathParameters).toEqual({ id: 'a dog' });
    expect(matched('GET /files/{path+}', 'GET', '/files/a/b/c')?.pathParameters).toEqual({ path: 'a/b/c' });
  });

  it('does not match a shorter or longer path, and a greedy variable needs at least one segment', () => {
    expect(matched('GET /pets/{id}', 'GET', '/pets')).toBeUndefined();
    expect(matched('GET /pets/{id}', 'GET', '/pets/1/toys')).toBeUndefined();
    expect(matched('GET /pets/{proxy+}', 'GET', '/pets')).toBeUndefined();
  });

  it.each([
    ['GET', '/pets/dog/1', 'GET /pets/dog/1'],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}'],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}'],
    ['POST', '/pets/dog/1', 'ANY /{proxy+}'],
  ])('sends %s %s to the most specific route, %s, as API Gateway documents', (method, path, expected) => {
    expect(chosen(DOCUMENTED, method, path)).toBe(expected);
  });

  it('prefers a named method over ANY for the same path', () => {
    expect(chosen(['ANY /webhook', 'POST /webhook'], 'POST', '/webhook')).toBe('POST /webhook');
  });

  it('ranks a literal segment over a path variable wherever both match (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 5 }),
        fc.nat(),
        (segments, pick) => {
          const index = pick % segments.length;
          const path = `/${segments.join('/')}`;
          const withVariable = `GET /${segments.map((segment, at) => (at === index ? '{v}' : segment)).join('/')}`;
          const literal = `GET ${path}`;
          expect(chosen([withVariable, literal, 'ANY /{proxy+}'], 'GET', path)).toBe(literal);
          expect(chosen([withVariable, 'ANY /{proxy+}'], 'GET', path)).toBe(withVariable);
        },
      ),
    );
  });
});
