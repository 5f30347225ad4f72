import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postSlackMessage } from '../../aws/slack';
import { SlackSink } from '../support/slack-sink';

const sink = new SlackSink();
const message = { text: 'clustershift prod: drain blue started', blocks: [] };

/** The error never gives the webhook away: not the URL, not its secret path. */
const expectNoUrl = (error: string | undefined, url: string) => {
  expect(error).toBeDefined();
  expect(error).not.toContain(url);
  expect(error).not.toContain(SlackSink.PATH);
  expect(error).not.toContain('s3cr3t');
};

/** A port nothing listens on: one the OS just gave out and took back. */
const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

beforeAll(async () => {
  await sink.start();
});
afterAll(async () => {
  await sink.stop();
});
beforeEach(() => {
  sink.requests.length = 0;
  sink.behaviour = { kind: 'ok' };
});

describe('postSlackMessage', () => {
  it('posts the message as JSON and reports it delivered', async () => {
    // Act
    const result = await postSlackMessage(sink.url, message);

    // Assert
    expect(result).toEqual({ delivered: true });
    expect(sink.requests).toEqual([
      { method: 'POST', path: SlackSink.PATH, contentType: 'application/json; charset=utf-8', body: message },
    ]);
  });

  it('reports what Slack answered to a refused message, without the URL', async () => {
    // Prepare
    sink.behaviour = { kind: 'status', status: 500, text: 'rollup_error' };

    // Act
    const result = await postSlackMessage(sink.url, message);

    // Assert
    expect(result).toEqual({ delivered: false, error: 'the webhook answered HTTP 500: rollup_error' });
  });

  it('gives up after its timeout when the webhook never answers', async () => {
    // Prepare
    sink.behaviour = { kind: 'hang' };

    // Act
    const result = await postSlackMessage(sink.url, message, { timeoutMs: 200 });

    // Assert
    expect(result).toEqual({ delivered: false, error: 'no answer within 200 ms' });
    expect(sink.requests).toHaveLength(1);
  });

  it('reports a refused connection without the URL', async () => {
    // Prepare
    const url = `http://127.0.0.1:${await closedPort()}${SlackSink.PATH}`;

    // Act
    const result = await postSlackMessage(url, message);

    // Assert
    expect(result).toEqual({ delivered: false, error: 'could not reach the webhook: ECONNREFUSED' });
    expectNoUrl(result.error, url);
  });

  it('does not follow a redirect, which would carry the message elsewhere', async () => {
    // Prepare
    const other = new SlackSink();
    await other.start();
    sink.behaviour = { kind: 'redirect', location: other.url };

    // Act
    const result = await postSlackMessage(sink.url, message);
    const elsewhere = other.url;
    await other.stop();

    // Assert
    expect(result.delivered).toBe(false);
    expect(other.requests).toEqual([]);
    expectNoUrl(result.error, sink.url);
    expectNoUrl(result.error, elsewhere);
  });

  it.each([
    ['plain http to another host', 'http://hooks.slack.com/services/T000TEST/B000TEST/s3cr3tW3bh00kT0k3n'],
    ['another scheme', 'ftp://hooks.slack.com/services/T000TEST/B000TEST/s3cr3tW3bh00kT0k3n'],
    ['no URL at all', 's3cr3tW3bh00kT0k3n'],
  ])('sends nothing to %s, and says why without the URL', async (_what, url) => {
    // Prepare
    const fetchSpy = jest.fn<ReturnType<typeof fetch>, Parameters<typeof fetch>>();

    // Act
    const result = await postSlackMessage(url, message, { fetch: fetchSpy });

    // Assert
    expect(result.delivered).toBe(false);
    expect(fetchSpy).not.toHaveBeenCalled();
    expectNoUrl(result.error, url);
  });

  it('never throws, even when fetch itself throws something odd, and keeps the URL out of the error', async () => {
    // Prepare
    const url = 'https://hooks.slack.com/services/T000TEST/B000TEST/s3cr3tW3bh00kT0k3n';
    const fetchSpy = jest.fn(async () => {
      throw new TypeError(`Failed to parse URL from ${url}`);
    });

    // Act
    const result = await postSlackMessage(url, message, { fetch: fetchSpy as unknown as typeof fetch });

    // Assert
    expect(result.delivered).toBe(false);
    expectNoUrl(result.error, url);
  });
});
