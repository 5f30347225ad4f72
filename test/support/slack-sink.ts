import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the sink does with the next requests: answer like Slack, fail, redirect, or never answer. */
export type SinkBehaviour =
  | { readonly kind: 'ok' }
  | { readonly kind: 'status'; readonly status: number; readonly text: string }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'hang' };

export interface SinkRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string;
  readonly body: unknown;
}

/**
 * A local HTTP server on 127.0.0.1 standing in for a Slack incoming webhook in tests: it keeps what
 * is posted and answers as told. The webhook path carries a fake secret, as Slack's do.
 */
export class SlackSink {
  readonly requests: SinkRequest[] = [];
  behaviour: SinkBehaviour = { kind: 'ok' };
  private server?: Server;
  private port = 0;
  private readonly hanging: ServerResponse[] = [];
  static readonly PATH = '/services/T000TEST/B000TEST/s3cr3tW3bh00kT0k3n';

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}${SlackSink.PATH}`;
  }

  /** Slack message bodies posted so far. */
  get messages(): unknown[] {
    return this.requests.map((r) => r.body);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Kept as text: the test shows what arrived.
    }
    this.requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      contentType: request.headers['content-type'] ?? '',
      body,
    });
    const behaviour = this.behaviour;
    switch (behaviour.kind) {
      case 'ok':
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      case 'status':
        response.writeHead(behaviour.status, { 'content-type': 'text/plain' }).end(behaviour.text);
        return;
      case 'redirect':
        response.writeHead(302, { location: behaviour.location }).end();
        return;
      case 'hang':
        this.hanging.push(response);
        return;
    }
  }

  async stop(): Promise<void> {
    for (const response of this.hanging.splice(0)) response.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
