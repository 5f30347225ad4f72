import fc from 'fast-check';
import {
  signSlackRequest,
  signWebhook,
  verifySlackSignature,
  verifyWebhookSignature,
} from '../../../core/chat/signature';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW = 1_767_225_600;
const BODY = 'token=x&team_id=T1&user_id=U123&command=%2Fclustershift&text=drain+blue+upgrade';

const slack = (
  overrides: { headers?: Record<string, string>; rawBody?: string | Uint8Array; now?: number } = {},
) =>
  verifySlackSignature({
    signingSecret: SECRET,
    headers: overrides.headers ?? signSlackRequest(SECRET, NOW, BODY),
    rawBody: overrides.rawBody ?? BODY,
    nowSeconds: overrides.now ?? NOW,
  });

const lowerCased = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

describe('verifySlackSignature', () => {
  it('accepts a request signed with the signing secret, header names in any case', () => {
    const headers = signSlackRequest(SECRET, NOW, BODY);

    expect(slack({ headers })).toEqual({ ok: true });
    expect(slack({ headers: lowerCased(headers) })).toEqual({ ok: true });
  });

  it("matches Slack's documented example signature", () => {
    // The worked example in Slack's "Verifying requests from Slack" guide.
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';

    const verdict = verifySlackSignature({
      signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
      headers: {
        'X-Slack-Request-Timestamp': '1531420618',
        'X-Slack-Signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      },
      rawBody: body,
      nowSeconds: 1_531_420_618,
    });

    expect(verdict).toEqual({ ok: true });
  });

  it('accepts a timestamp exactly at the edge of the 5-minute window', () => {
    expect(slack({ now: NOW + 300 })).toEqual({ ok: true });
  });

  it.each([
    ['a wrong secret', { headers: signSlackRequest('another-secret', NOW, BODY) }, /does not match/],
    ['an altered body', { rawBody: `${BODY}&force=all` }, /does not match/],
    [
      'an altered timestamp',
      { headers: { ...signSlackRequest(SECRET, NOW, BODY), 'X-Slack-Request-Timestamp': String(NOW - 1) } },
      /does not match/,
    ],
    ['a timestamp 301 s old', { now: NOW + 301 }, /301 s old/],
    ['a timestamp 301 s in the future', { now: NOW - 301 }, /301 s in the future/],
    [
      'a missing timestamp header',
      { headers: { 'X-Slack-Signature': signSlackRequest(SECRET, NOW, BODY)['X-Slack-Signature'] ?? '' } },
      /missing .*X-Slack-Request-Timestamp/,
    ],
    [
      'a missing signature header',
      { headers: { 'X-Slack-Request-Timestamp': String(NOW) } },
      /missing .*X-Slack-Signature/,
    ],
    [
      'a non-numeric timestamp',
      { headers: { ...signSlackRequest(SECRET, NOW, BODY), 'X-Slack-Request-Timestamp': '1e9' } },
      /not unix seconds/,
    ],
    [
      'another signature version',
      { headers: { ...signSlackRequest(SECRET, NOW, BODY), 'X-Slack-Signature': `v1=${'a'.repeat(64)}` } },
      /not a v0 signature/,
    ],
    [
      'a signature of the wrong length',
      { headers: { ...signSlackRequest(SECRET, NOW, BODY), 'X-Slack-Signature': 'v0=abcd' } },
      /wrong length/,
    ],
    [
      'a signature that is not hex',
      { headers: { ...signSlackRequest(SECRET, NOW, BODY), 'X-Slack-Signature': `v0=${'z'.repeat(64)}` } },
      /not hexadecimal/,
    ],
    [
      'the same header twice under two cases',
      {
        headers: {
          ...signSlackRequest(SECRET, NOW, BODY),
          'x-slack-signature': `v0=${'0'.repeat(64)}`,
        },
      },
      /repeated/,
    ],
  ])('rejects %s', (_what, overrides, reason) => {
    const verdict = slack(overrides);

    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toMatch(reason);
  });

  it('rejects everything when no signing secret is configured', () => {
    const verdict = verifySlackSignature({
      signingSecret: '',
      headers: signSlackRequest('', NOW, BODY),
      rawBody: BODY,
      nowSeconds: NOW,
    });

    expect(verdict).toEqual({ ok: false, reason: 'no signing secret is configured' });
  });

  it('never puts the secret or the expected signature into a reason', () => {
    const expected = signSlackRequest(SECRET, NOW, BODY)['X-Slack-Signature'] ?? '';
    const forged = { ...signSlackRequest(SECRET, NOW, BODY), 'X-Slack-Signature': `v0=${'0'.repeat(64)}` };

    const verdict = slack({ headers: forged });

    const reason = verdict.ok ? '' : verdict.reason;
    expect(reason).not.toContain(SECRET);
    expect(reason).not.toContain(expected.slice(3));
  });

  it('rejects any single-byte change of the body', () => {
    const body = Buffer.from(BODY);
    const headers = signSlackRequest(SECRET, NOW, body);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: body.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (index, delta) => {
          const altered = Buffer.from(body);
          altered[index] = ((altered[index] ?? 0) + delta) % 256;

          expect(slack({ headers, rawBody: altered }).ok).toBe(false);
        },
      ),
    );
  });

  it('accepts any body that was signed, bytes or text alike', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        const headers = signSlackRequest(SECRET, NOW, bytes);

        expect(slack({ headers, rawBody: bytes })).toEqual({ ok: true });
      }),
    );
  });
});

describe('verifyWebhookSignature', () => {
  const body = JSON.stringify({ user: 'ops-bot', channel: 'ops', text: 'status' });

  it('accepts what signWebhook signed, with v1 and X-Clustershift-* headers', () => {
    const headers = signWebhook('hook-secret', NOW, body);

    expect(Object.keys(headers).sort()).toEqual(['X-Clustershift-Signature', 'X-Clustershift-Timestamp']);
    expect(headers['X-Clustershift-Signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(
      verifyWebhookSignature({ secret: 'hook-secret', headers, rawBody: body, nowSeconds: NOW }),
    ).toEqual({
      ok: true,
    });
  });

  it('rejects a Slack signature: the schemes do not stand in for each other', () => {
    const slackHeaders = signSlackRequest('hook-secret', NOW, body);

    const verdict = verifyWebhookSignature({
      secret: 'hook-secret',
      headers: slackHeaders,
      rawBody: body,
      nowSeconds: NOW,
    });

    expect(verdict.ok).toBe(false);
  });

  it('honours a tighter replay window', () => {
    const headers = signWebhook('hook-secret', NOW, body);

    const verdict = verifyWebhookSignature({
      secret: 'hook-secret',
      headers,
      rawBody: body,
      nowSeconds: NOW + 61,
      toleranceSeconds: 60,
    });

    expect(verdict).toEqual({ ok: false, reason: 'timestamp is 61 s old (replay window 60 s)' });
  });
});
