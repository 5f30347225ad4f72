import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/**
 * DynamoDB on the twin is dynalite (an in-memory DynamoDB on LevelDB): the twin hands it the raw
 * request, body unread, through its request listener, so it never listens on a port of its own.
 */
export interface TwinDynamoDb {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /**
   * Like `handle`, for a request whose body the twin has read already (to authorize it): dynalite
   * reads the body from the request's data events, so it gets a stream replaying it.
   */
  handleRead(req: IncomingMessage, body: Buffer, res: ServerResponse): void;
  close(): Promise<void>;
}

export const startDynamoDb = async (): Promise<TwinDynamoDb> => {
  // dynalite ships no types; it returns an http.Server whose request listener is the whole service.
  const createServer = require('dynalite') as (options: object) => Server;
  const server = createServer({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  return {
    handle: (req, res) => {
      server.emit('request', req, res);
    },
    handleRead: (req, body, res) => {
      const replay = Object.assign(Readable.from([body]), {
        headers: req.headers,
        method: req.method,
        url: req.url,
      });
      server.emit('request', replay, res);
    },
    close: async () => {
      // Never listened, so there is nothing to close but its store; dynalite keeps it in memory.
      server.removeAllListeners('request');
    },
  };
};
