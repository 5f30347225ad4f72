import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CHAT_WORKERS } from '../../../core/chat-commands';
import { CHAT_WORKER_FUNCTIONS } from '../../../functions/chat/workers';
import { CHAT_HANDLER_NAMES } from '../../../infra/handlers';

describe('CHAT_WORKER_FUNCTIONS', () => {
  it('names a chat handler with an entry file for every worker, each under its own variable', () => {
    // Act
    const functions = CHAT_WORKERS.map((worker) => CHAT_WORKER_FUNCTIONS[worker]);

    // Assert
    for (const { handler } of functions) {
      expect(CHAT_HANDLER_NAMES).toContain(handler);
      expect(existsSync(join(__dirname, '..', '..', '..', 'functions', `${handler}.ts`))).toBe(true);
    }
    expect(new Set(functions.map((f) => f.env)).size).toBe(CHAT_WORKERS.length);
    expect(new Set(functions.map((f) => f.handler)).size).toBe(CHAT_WORKERS.length);
  });
});
