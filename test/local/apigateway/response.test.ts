import { MalformedResponseError, mapResult } from '../../../local/apigateway/response';

describe('mapping a function result to the HTTP answer (payload format 2.0)', () => {
  it('sends a response object as it says: status, headers, body, cookies as Set-Cookie', () => {
    const answer = mapResult({
      statusCode: 201,
      headers: { 'Content-Type': 'text/plain', 'X-Count': 3 },
      body: 'created',
      cookies: ['a=1', 'b=2'],
    });

    expect(answer).toEqual({
      status: 201,
      headers: { 'content-type': 'text/plain', 'x-count': '3', 'set-cookie': ['a=1', 'b=2'] },
      body: Buffer.from('created'),
    });
  });

  it('decodes a body marked isBase64Encoded', () => {
    const answer = mapResult({
      statusCode: 200,
      body: Buffer.from([0, 1, 2]).toString('base64'),
      isBase64Encoded: true,
    });

    expect([...answer.body]).toEqual([0, 1, 2]);
  });

  it.each([
    ['an object without statusCode', { ok: true }, '{"ok":true}'],
    ['a string', 'Hello from Lambda!', '"Hello from Lambda!"'],
    ['a number', 42, '42'],
    ['nothing', undefined, 'null'],
  ])('answers %s as a 200 JSON body', (_what, result, body) => {
    const answer = mapResult(result);

    expect(answer.status).toBe(200);
    expect(answer.headers).toEqual({ 'content-type': 'application/json' });
    expect(answer.body.toString()).toBe(body);
  });

  it.each([
    ['a statusCode that is not an integer status', { statusCode: '200' }, /statusCode/],
    ['a body that is not a string', { statusCode: 200, body: { a: 1 } }, /body must be a string/],
    ['headers that are not an object', { statusCode: 200, headers: ['x'] }, /headers must be an object/],
    ['a header value that is an object', { statusCode: 200, headers: { x: {} } }, /header x/],
    ['cookies that are not strings', { statusCode: 200, cookies: [1] }, /cookies/],
  ])('refuses %s as a malformed response', (_what, result, why) => {
    expect(() => mapResult(result)).toThrow(MalformedResponseError);
    expect(() => mapResult(result)).toThrow(why);
  });
});
