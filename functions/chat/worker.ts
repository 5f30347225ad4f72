import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { postSlackMessage } from '../../aws/slack';
import type { ShiftStoreReader } from '../../aws/store';
import { problemReply } from '../../core/chat/replies';
import { checkResponseUrl } from '../../core/chat/response-url';
import type { ChatWorker } from '../../core/chat-commands';
import { toFieldIssues } from '../../core/zod-issues';
import { type FleetClients, lambdaFleetAccess } from '../shared/fleet-access';
import { logger } from '../shared/logger';
import { paceElbv2 } from '../shared/pacing';
import type { Runtime } from '../shared/runtime';
import { chatJobSchema } from './job';
import { type CommandRunner, runChatCommand } from './run-command';

/**
 * A chat worker's Lambda handler: runs a command the chat handler accepted, then posts the answer
 * to the reply URL (Slack's response_url, or the webhook's callbackUrl). Invoked asynchronously
 * with no retries (set in infra): a retried drain would be a second request, so a failure is
 * reported, not repeated. `clients` are the SDK clients this worker's commands use, and `runtimeOf`
 * gives the runtime with the store its commands need (the reads alone for a worker that only
 * reads); the bundle holds no other client and none of the store's writes it does not make.
 */
export const chatWorkerHandler = <S extends ShiftStoreReader>(
  worker: ChatWorker,
  clients: FleetClients,
  run: CommandRunner<S>,
  runtimeOf: () => Runtime<S>,
) => {
  const work = async (event: unknown): Promise<{ posted: boolean; text: string }> => {
    const runtime = runtimeOf();
    const { config } = runtime;
    paceElbv2(runtime);
    logger.appendKeys({ fleet: config.fleet, chatWorker: worker });
    const parsed = chatJobSchema.safeParse(event);
    if (!parsed.success) {
      logger.error('chat job refused: invalid', { issues: toFieldIssues(parsed.error) });
      return { posted: false, text: 'invalid chat job' };
    }
    const job = parsed.data;
    logger.appendKeys({ chatUser: job.user, chatChannel: job.channel });
    // The chat handler checked the reply URL; a job that carries one it would have refused was not
    // made by it, so the worker runs nothing for it and posts nowhere.
    if (job.replyUrl !== undefined) {
      const reply = checkResponseUrl(job.replyUrl, config.chatops.responseHosts);
      if (!reply.ok) {
        logger.error('chat job refused: reply URL not allowed', { reason: reply.reason });
        return { posted: false, text: `reply URL refused: ${reply.reason}` };
      }
    }
    let reply: Awaited<ReturnType<typeof runChatCommand>>;
    try {
      reply = await runChatCommand(lambdaFleetAccess(clients, runtime), job, worker, run);
    } catch (error) {
      logger.error('chat command failed', error as Error);
      reply = problemReply(`clustershift failed: ${(error as Error).message ?? String(error)}`, [
        'check `status` before trying again: the command may or may not have taken effect',
      ]);
    }
    if (job.replyUrl === undefined) return { posted: false, text: reply.text };
    const result = await postSlackMessage(job.replyUrl, reply);
    if (!result.delivered) logger.warn('chat reply not delivered', { error: result.error });
    logger.info('chat command done', { posted: result.delivered });
    return { posted: result.delivered, text: reply.text };
  };
  return middy(work).use(injectLambdaContext(logger, { resetKeys: true }));
};
