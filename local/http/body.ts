import type { IncomingMessage } from 'node:http';
import { TwinError } from '../errors';

/** Largest request body the twin reads; AWS's own limits are lower for every API it serves. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** The whole body, or a 413 TwinError once it passes `limit` (the rest is drained, not buffered). */
export const readBody = (req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) {
        reject(new TwinError('RequestEntityTooLarge', `request body is larger than ${limit} bytes`, 413));
      } else {
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', reject);
  });
