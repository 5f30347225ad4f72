import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { invokeAsync } from '../aws/lambda-invoke';
import { readSecret } from '../aws/secrets';
import { allowedCommands, authorizeChat } from '../core/chat/authorize';
import { ephemeral } from '../core/chat/blocks';
import { helpBlocks, helpText } from '../core/chat/help';
import {
  type ChatCommand,
  chatRequester,
  parseChatCommand,
  toShiftRequest,
} from '../core/chat/parse-command';
import { acknowledgement, problemReply } from '../core/chat/replies';
import { checkResponseUrl } from '../core/chat/response-url';
import { verifySlackSignature, verifyWebhookSignature } from '../core/chat/signature';
import { parseButtonPress, parseSlashCommand, parseWebhookCommand } from '../core/chat/slack-payload';
import { type ChatCommandName, chatWorkerFor } from '../core/chat-commands';
import type { FleetConfig } from '../core/config';
import { InvalidRequestError, isClusterShiftError } from '../core/errors';
import { empty, json, MAX_BODY_BYTES, readChatRequest } from './chat/http';
import type { ChatJob } from './chat/job';
import type { ChatRoute } from './chat/routes';
import { CHAT_WORKER_FUNCTIONS } from './chat/workers';
import { getFleetConfig } from './shared/fleet-config';
import { logger } from './shared/logger';

/**
 * The ChatOps endpoint (API Gateway v2 → here). In this order, and nothing is started unless every
 * step passes: the signature over the raw body (before anything is parsed), the payload, the
 * allow-lists, the command and its arguments (validated as the workflow would), the reply URL's
 * host. Then the work goes to the command's worker (asynchronous invoke; core/chat-commands.ts) and Slack gets an answer at once,
 * well within its 3 seconds.
 */

/** Who asked and where, whatever the route. */
interface Caller {
  readonly source: 'slack' | 'webhook';
  readonly user: string;
  readonly userName?: string;
  readonly channel: string;
  readonly replyUrl?: string;
}

type Parsed =
  | { readonly kind: 'command'; readonly caller: Caller; readonly text: string; readonly slash?: string }
  | {
      readonly kind: 'button';
      readonly caller: Caller;
      readonly button: NonNullable<ChatJob['button']>;
    };

const slackCaller = (from: {
  readonly userId: string;
  readonly userName?: string;
  readonly channelId: string;
  readonly responseUrl: string;
}): Caller => ({
  source: 'slack',
  user: from.userId,
  ...(from.userName === undefined ? {} : { userName: from.userName }),
  channel: from.channelId,
  replyUrl: from.responseUrl,
});

const parseRoute = (route: ChatRoute, rawBody: string): Parsed => {
  if (route === 'slackCommands') {
    const slash = parseSlashCommand(rawBody);
    return { kind: 'command', caller: slackCaller(slash), text: slash.text, slash: slash.command };
  }
  if (route === 'slackInteractions') {
    const press = parseButtonPress(rawBody);
    return {
      kind: 'button',
      caller: slackCaller(press),
      button: { action: press.action, executionArn: press.executionArn },
    };
  }
  const hook = parseWebhookCommand(rawBody);
  return {
    kind: 'command',
    caller: {
      source: 'webhook',
      user: hook.user,
      channel: hook.channel,
      ...(hook.callbackUrl === undefined ? {} : { replyUrl: hook.callbackUrl }),
    },
    text: hook.text,
  };
};

/** The command name to authorize: what the text asked for, or help for text that asked for nothing known. */
const commandName = (parsed: Parsed, command: ChatCommand | undefined): ChatCommandName => {
  if (parsed.kind === 'button') return parsed.button.action;
  if (command === undefined || command.command === 'unknown') return 'help';
  if (command.command === 'invalid') return command.attempted ?? 'help';
  return command.command;
};

/** A reply the caller sees now: Slack gets an ephemeral message, the webhook JSON with a status. */
const answer = (
  source: Caller['source'],
  status: number,
  message: { text: string; blocks?: ReturnType<typeof helpBlocks> },
): APIGatewayProxyStructuredResultV2 =>
  source === 'slack'
    ? // Slack shows a non-200 as "failed with the error …"; a refusal is an answer, not a failure.
      json(200, ephemeral(message.blocks ?? [], message.text))
    : json(status, { ok: status < 300, message: message.text });

const secretFor = (route: ChatRoute, config: FleetConfig): string | undefined =>
  route === 'webhook' ? config.chatops.webhookSecret : config.chatops.signingSecret;

const verify = (route: ChatRoute, secret: string, request: ReturnType<typeof readChatRequest>) => {
  // Slack stamps requests with its real clock, so the replay window is checked against ours, not
  // against a compressed twin clock (on AWS the two are the same).
  const nowSeconds = Math.floor(Date.now() / 1000);
  const input = { headers: request.headers, rawBody: request.rawBody, nowSeconds };
  return route === 'webhook'
    ? verifyWebhookSignature({ ...input, secret })
    : verifySlackSignature({ ...input, signingSecret: secret });
};

const handle = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const config = getFleetConfig();
  const { chatops } = config;
  logger.appendKeys({ fleet: config.fleet });
  const request = readChatRequest(event);
  const { route } = request;
  const secretRef = route === undefined ? undefined : secretFor(route, config);
  if (route === undefined || !chatops.enabled || secretRef === undefined) {
    return json(404, { message: 'Not Found' });
  }
  if (request.bodyBytes > MAX_BODY_BYTES) {
    return json(413, { message: `request body over ${MAX_BODY_BYTES} bytes` });
  }

  let secret: string;
  try {
    secret = await readSecret(secretRef);
  } catch (error) {
    // Names the secret and the AWS error, never the value.
    logger.error('cannot read the chatops secret', { error: (error as Error).message });
    return json(503, {
      message: 'clustershift cannot check signatures right now (its secret is unreadable)',
    });
  }
  const verdict = verify(route, secret, request);
  if (!verdict.ok) {
    logger.warn('chat request refused: bad signature', { route, reason: verdict.reason });
    return json(401, { message: 'invalid or expired request signature' });
  }

  let parsed: Parsed;
  try {
    parsed = parseRoute(route, request.rawBody);
  } catch (error) {
    const message = isClusterShiftError(error) ? error.message : 'the request body could not be read';
    logger.warn('chat request refused: bad payload', { route, error: message });
    return json(400, { message });
  }
  const { caller } = parsed;
  logger.appendKeys({ chatUser: caller.user, chatChannel: caller.channel });
  const command = parsed.kind === 'command' ? parseChatCommand(parsed.text) : undefined;
  const name = commandName(parsed, command);

  const authorization = authorizeChat(chatops, { user: caller.user, channel: caller.channel, command: name });
  if (!authorization.allowed) {
    logger.warn('chat request refused: not allowed', { command: name });
    return answer(caller.source, 403, { text: authorization.message, blocks: [] });
  }

  const slashCommand = parsed.kind === 'command' ? parsed.slash : undefined;
  if (command !== undefined && ['help', 'unknown', 'invalid'].includes(command.command)) {
    const note = command.command === 'help' ? undefined : (command as { message: string }).message;
    const options = {
      allowed: allowedCommands(chatops, caller.user),
      ...(slashCommand === undefined ? {} : { slashCommand }),
      ...(note === undefined ? {} : { note }),
    };
    return answer(caller.source, command.command === 'help' ? 200 : 400, {
      text: helpText(options),
      blocks: helpBlocks(options),
    });
  }

  // Arguments are validated here, against the fleet config as the workflow would, so a bad one is
  // answered at once and nothing is started.
  if (command !== undefined && ['plan', 'drain', 'restore', 'shift'].includes(command.command)) {
    try {
      toShiftRequest(
        command as Parameters<typeof toShiftRequest>[0],
        config,
        chatRequester(caller.source, caller.user, caller.userName),
      );
    } catch (error) {
      if (!(error instanceof InvalidRequestError)) throw error;
      const refused = problemReply(error.message);
      return answer(caller.source, 400, { text: refused.text, blocks: refused.blocks });
    }
  }

  if (caller.replyUrl !== undefined) {
    const reply = checkResponseUrl(caller.replyUrl, chatops.responseHosts);
    if (!reply.ok) {
      logger.warn('chat request refused: reply URL not allowed', { reason: reply.reason });
      return json(400, { message: `reply URL refused: ${reply.reason}` });
    }
  }

  const job: ChatJob = {
    source: caller.source,
    user: caller.user,
    ...(caller.userName === undefined ? {} : { userName: caller.userName }),
    channel: caller.channel,
    ...(caller.replyUrl === undefined ? {} : { replyUrl: caller.replyUrl }),
    ...(parsed.kind === 'command' ? { text: parsed.text } : { button: parsed.button }),
  };
  // Help, unknown and invalid commands were answered above, so every command left has a worker.
  const worker = chatWorkerFor(name);
  if (worker === undefined) {
    logger.error('chat command has no worker', { command: name });
    return json(500, { message: `clustershift chatops has no worker for ${name}` });
  }
  const { env } = CHAT_WORKER_FUNCTIONS[worker];
  const workerFunction = process.env[env];
  if (workerFunction === undefined || workerFunction === '') {
    logger.error(`${env} is not set`, { command: name, chatWorker: worker });
    return json(500, { message: `clustershift chatops is misconfigured (no ${worker} worker function)` });
  }
  try {
    await invokeAsync(workerFunction, job);
  } catch (error) {
    logger.error('could not hand the command to the worker', {
      chatWorker: worker,
      error: (error as Error).message,
    });
    return answer(caller.source, 503, {
      text: 'clustershift could not start this command (the worker could not be invoked); nothing was changed',
    });
  }
  logger.info('chat command accepted', { command: name, kind: parsed.kind });
  if (parsed.kind === 'button') return empty();
  if (caller.source === 'webhook') {
    return json(202, { ok: true, message: `accepted: ${name}`, command: name });
  }
  return json(200, acknowledgement(parsed.text === '' ? 'help' : parsed.text));
};

export const handler = middy(handle).use(injectLambdaContext(logger, { resetKeys: true }));
