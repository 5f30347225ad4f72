import { checkResponseUrl, checkUrlShape } from '../../../core/chat/response-url';

const reasonOf = (verdict: { ok: boolean; reason?: string }) => (verdict.ok ? 'ok' : verdict.reason);

describe('checkResponseUrl', () => {
  const hosts = ['hooks.slack.com', '127.0.0.1:4567'];

  it.each([
    'https://hooks.slack.com/commands/T1/1/abc',
    'https://HOOKS.slack.com/actions/T1/1/abc',
    'https://hooks.slack.com:443/x',
    'http://127.0.0.1:4567/slack',
  ])('accepts %s', (url) => {
    expect(reasonOf(checkResponseUrl(url, hosts))).toBe('ok');
  });

  it.each([
    ['a host not on the list', 'https://evil.example/x', /host evil.example is not in chatops.responseHosts/],
    ['a subdomain of a listed host', 'https://a.hooks.slack.com/x', /host a.hooks.slack.com is not/],
    ['a listed host on another port', 'https://hooks.slack.com:8443/x', /host hooks.slack.com:8443 is not/],
    ['plain http to a listed host', 'http://hooks.slack.com/x', /must be an https URL/],
    ['plain http to the metadata service', 'http://169.254.169.254/latest', /must be an https URL/],
    ['credentials in the URL', 'https://user:pw@hooks.slack.com/x', /must not carry credentials/],
    ['something that is no URL', 'hooks.slack.com/x', /not a URL/],
    ['an over-long URL', `https://hooks.slack.com/${'x'.repeat(2_100)}`, /longer than 2048/],
  ])('refuses %s', (_what, url, reason) => {
    expect(reasonOf(checkResponseUrl(url, hosts))).toMatch(reason);
  });
});

describe('checkUrlShape', () => {
  it('allows plain http only to this machine (the twin)', () => {
    expect(reasonOf(checkUrlShape('http://localhost:9000/x'))).toBe('ok');
    expect(reasonOf(checkUrlShape('http://[::1]:9000/x'))).toBe('ok');
    expect(reasonOf(checkUrlShape('http://10.0.0.1/x'))).toBe('must be an https URL');
  });
});

describe('loopback with any port', () => {
  it('matches 127.0.0.1 on any port for a `127.0.0.1:*` entry', () => {
    expect(checkResponseUrl('http://127.0.0.1:45123/_twin/slack/x', ['127.0.0.1:*']).ok).toBe(true);
  });

  it('never widens a public host to any port', () => {
    expect(checkResponseUrl('https://hooks.slack.com:8443/x', ['hooks.slack.com:*']).ok).toBe(false);
  });
});
