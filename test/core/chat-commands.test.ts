import {
  CHAT_COMMANDS,
  CHAT_WORKERS,
  chatWorkerFor,
  READ_ONLY_CHAT_COMMANDS,
} from '../../core/chat-commands';

describe('chatWorkerFor', () => {
  it('sends every command but help to a worker, and help to none', () => {
    // Act
    const workers = CHAT_COMMANDS.map((command) => [command, chatWorkerFor(command)] as const);

    // Assert
    expect(workers.filter(([, worker]) => worker === undefined).map(([command]) => command)).toEqual([
      'help',
    ]);
    expect(workers.every(([, worker]) => worker === undefined || CHAT_WORKERS.includes(worker))).toBe(true);
  });

  it('sends no command that writes to a worker that only reads, and no read to the acting worker', () => {
    // Act
    const misrouted = CHAT_COMMANDS.filter((command) => {
      const worker = chatWorkerFor(command);
      const reads = (READ_ONLY_CHAT_COMMANDS as readonly string[]).includes(command);
      return worker !== undefined && reads === (worker === 'act');
    });

    // Assert
    expect(misrouted).toEqual([]);
  });
});
