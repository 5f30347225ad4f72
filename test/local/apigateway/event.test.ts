import fc from 'fast-check';
import {
  type ApiEventContext,
  type ApiRequest,
  buildApiEvent,
  isTextContentType,
  queryParameters,
  requestTime,
} from '../../../local/apigateway/event';

const NOW = Date.UTC(2020, 2, 12, 19, 3, 58, 390);

const request = (overrides: Partial<ApiRequest> = {}): ApiRequest => ({
  method: 'POST',
  url: '/my/path?parameter1=value1&parameter1=value2&parameter2=value',
  rawHeaders: ['Host', '127.0.0.1:4566', 'User-Agent', 'agent', 'Header2', 'value1', 'header2', 'value2'],
  body: Buffer.from('Hello from Lambda'),
  sourceIp: '192.0.2.1',
  httpVersion: '1.1',
  localPort: 4566,
  ...overrides,
});

const context = (overrides: Partial<ApiEventContext> = {}): ApiEventContext => ({
  accountId: '123456789012',
  apiId: 'api-id',
  routeKey: '$default',
  requestId: 'JKJaXmPLvHcESHA=',
  now: NOW,
  pathParameters: {},
  ...overrides,
});

describe('the payload format 2.0 event', () => {
  it('has the fields and values of the documented example, for the same request', () => {
    // Act
    const event = buildApiEvent(
      request({ rawHeaders: [...request().rawHeaders, 'Content-Type', 'text/plain'] }),
      context(),
    );

    // Assert: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
    expect(event).toEqual({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/my/path',
      rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
      headers: expect.objectContaining({ header2: 'value1,value2', 'user-agent': 'agent' }),
      queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
      requestContext: {
        accountId: '123456789012',
        apiId: 'api-id',
        domainName: '127.0.0.1:4566',
        domainPrefix: '127',
        http: {
          method: 'POST',
          path: '/my/path',
          protocol: 'HTTP/1.1',
          sourceIp: '192.0.2.1',
          userAgent: 'agent',
        },
        requestId: 'JKJaXmPLvHcESHA=',
        routeKey: '$default',
        stage: '$default',
        time: '12/Mar/2020:19:03:58 +0000',
        timeEpoch: NOW,
      },
      body: 'Hello from Lambda',
      isBase64Encoded: false,
    });
  });

  it('adds the forwarding and trace headers API Gateway adds, and lower-cases every header name', () => {
    const event = buildApiEvent(request({ rawHeaders: ['X-Forwarded-For', '198.51.100.7'] }), context());

    expect(event.headers).toEqual({
      'x-forwarded-for': '198.51.100.7, 192.0.2.1',
      'x-forwarded-port': '4566',
      'x-forwarded-proto': 'http',
      'x-amzn-trace-id': expect.stringMatching(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/),
    });
  });

  it('moves Cookie headers into cookies, one entry per cookie, and out of headers', () => {
    const event = buildApiEvent(
      request({ rawHeaders: ['Cookie', 'cookie1=a; cookie2=b', 'cookie', 'cookie3=c'] }),
      context(),
    );

    expect(event.cookies).toEqual(['cookie1=a', 'cookie2=b', 'cookie3=c']);
    expect(event.headers.cookie).toBeUndefined();
  });

  it('passes a form body base64-encoded, as HTTP APIs do with what Slack posts', () => {
    const form = 'command=%2Fclustershift&text=status+blue';

    const event = buildApiEvent(
      request({
        rawHeaders: ['Content-Type', 'application/x-www-form-urlencoded'],
        body: Buffer.from(form),
      }),
      context(),
    );

    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64').toString('utf8')).toBe(form);
  });

  it('leaves out body, cookies, query and path parameters when the request has none', () => {
    const event = buildApiEvent(request({ url: '/plain', body: Buffer.alloc(0), rawHeaders: [] }), context());

    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('cookies');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event.rawQueryString).toBe('');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('carries the matched route key and its path parameters', () => {
    const event = buildApiEvent(
      request({ url: '/pets/7' }),
      context({ routeKey: 'GET /pets/{id}', pathParameters: { id: '7' } }),
    );

    expect(event.routeKey).toBe('GET /pets/{id}');
    expect(event.requestContext.routeKey).toBe('GET /pets/{id}');
    expect(event.pathParameters).toEqual({ id: '7' });
  });

  it.each([
    ['application/json; charset=utf-8', true],
    ['text/html', true],
    ['application/xml', true],
    ['application/javascript', true],
    ['application/x-www-form-urlencoded', false],
    ['application/octet-stream', false],
    [undefined, false],
  ])('treats the content type %s as text: %s', (contentType, text) => {
    expect(isTextContentType(contentType)).toBe(text);
  });

  it('round-trips any binary body through base64 (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 512 }), (bytes) => {
        const event = buildApiEvent(
          request({ rawHeaders: ['Content-Type', 'application/octet-stream'], body: Buffer.from(bytes) }),
          context(),
        );
        expect(event.isBase64Encoded).toBe(true);
        expect(new Uint8Array(Buffer.from(event.body ?? '', 'base64'))).toEqual(bytes);
      }),
    );
  });

  it('decodes query values and joins repeated names with commas (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 0, maxLength: 8 }), { minLength: 1, maxLength: 4 }),
        (values) => {
          const raw = values.map((value) => `name=${encodeURIComponent(value)}`).join('&');
          expect(queryParameters(raw)).toEqual({ name: values.join(',') });
        },
      ),
    );
  });

  it('formats requestContext.time as API Gateway does', () => {
    expect(requestTime(Date.UTC(2026, 0, 5, 4, 5, 6))).toBe('05/Jan/2026:04:05:06 +0000');
  });
});
