import type { ShiftStore, ShiftStoreReader } from '../../aws/store';
import { authorizeChat } from '../../core/chat/authorize';
import type { SlackMessage } from '../../core/chat/blocks';
import { type ChatCommand, parseChatCommand } from '../../core/chat/parse-command';
import { problemReply } from '../../core/chat/replies';
import { type ChatWorker, chatWorkerFor } from '../../core/chat-commands';
import { isClusterShiftError } from '../../core/errors';
import type { FleetAccess } from '../../ops/access';
import { OperationRefused } from '../../ops/errors';
import type { ChatJob } from './job';

/** A command a worker runs, as parsed and allowed: never `help`, `unknown` or `invalid`. */
export type RunnableCommand = Exclude<ChatCommand, { command: 'help' | 'unknown' | 'invalid' }>;

/**
 * One worker's commands (functions/chat/{status,plan,act}.ts): the reply to post for each. `S` is
 * the worker's store: a worker that only reads runs with the reads alone.
 */
export type CommandRunner<S extends ShiftStoreReader = ShiftStore> = (
  access: FleetAccess<S>,
  job: ChatJob,
  command: RunnableCommand,
) => Promise<SlackMessage>;

/** The command a job carries: the button's, or the text parsed again here. */
const commandOf = (job: ChatJob): ChatCommand =>
  job.button === undefined
    ? parseChatCommand(job.text ?? '')
    : { command: job.button.action, execution: job.button.executionArn };

/**
 * Runs one chat command in the worker given, through the same operations as the CLI, and returns
 * the reply to post. The worker parses the text and checks the allow-lists again rather than
 * trusting the chat handler, and refuses a command that another worker runs (a job sent to the
 * wrong function): it has neither the clients nor the permissions for it. Refusals and failures
 * become replies too (what was refused, and that nothing was changed).
 */
export const runChatCommand = async <S extends ShiftStoreReader>(
  access: FleetAccess<S>,
  job: ChatJob,
  worker: ChatWorker,
  run: CommandRunner<S>,
): Promise<SlackMessage> => {
  const command = commandOf(job);
  if (command.command === 'unknown' || command.command === 'invalid') return problemReply(command.message);
  const authorization = authorizeChat(access.config.chatops, {
    user: job.user,
    channel: job.channel,
    command: command.command,
  });
  if (!authorization.allowed) return problemReply(authorization.message);
  if (command.command === 'help') return problemReply('help is answered by the chat endpoint itself');
  const owner = chatWorkerFor(command.command);
  if (owner !== worker) {
    return problemReply(
      `\`${command.command}\` is run by the ${owner} worker, not the ${worker} worker; nothing was changed`,
    );
  }
  try {
    return await run(access, job, command);
  } catch (error) {
    if (error instanceof OperationRefused) return problemReply(error.message, error.details);
    if (isClusterShiftError(error)) return problemReply(`${error.name}: ${error.message}`);
    throw error;
  }
};
