import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { CHATOPS_PATHS, type ChatRoute } from './routes';

/** Slack posts a few KB; anything far larger is refused before it is hashed or parsed. */
export const MAX_BODY_BYTES = 512 * 1024;

export interface ChatHttpRequest {
  readonly route: ChatRoute | undefined;
  /** The body exactly as sent: the signature is over these bytes. */
  readonly rawBody: string;
  readonly bodyBytes: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

/** The route and the raw body of an API Gateway (payload 2.0) event; form bodies arrive base64-encoded. */
export const readChatRequest = (event: APIGatewayProxyEventV2): ChatHttpRequest => {
  const path = event.rawPath ?? event.requestContext?.http?.path ?? '';
  const route = (Object.entries(CHATOPS_PATHS) as [ChatRoute, string][]).find(([, p]) => p === path)?.[0];
  const body = event.body ?? '';
  const bytes = event.isBase64Encoded === true ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  return { route, rawBody: bytes.toString('utf8'), bodyBytes: bytes.length, headers: event.headers ?? {} };
};

export const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});

/** Slack wants 200 with an empty body when it should show nothing (a button press). */
export const empty = (): APIGatewayProxyStructuredResultV2 => ({ statusCode: 200, body: '' });
