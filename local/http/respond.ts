import type { ServerResponse } from 'node:http';

/** Writes a whole response: status, headers with the body's length, body. */
export const send = (
  res: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
  body: string | Uint8Array,
): void => {
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
};
