import { authorizeChat } from '../../core/chat/authorize';
import type { SlackMessage } from '../../core/chat/blocks';
import {
  type ChatCommand,
  chatRequester,
  parseChatCommand,
  type ShiftingChatCommand,
  toShiftRequest,
} from '../../core/chat/parse-command';
import { actionReply, problemReply, startedReply, viewReply } from '../../core/chat/replies';
import type { ButtonAction } from '../../core/chat-commands';
import { isClusterShiftError } from '../../core/errors';
import type { FleetAccess } from '../../ops/access';
import {
  abortShift,
  approveSteps,
  controlTarget,
  pauseShift,
  resumeShift,
  whenSeen,
} from '../../ops/control';
import { OperationRefused } from '../../ops/errors';
import { freezeFleet, unfreezeFleet } from '../../ops/freeze';
import { renderHistory } from '../../ops/history';
import { planLocally } from '../../ops/plan';
import { renderPlan } from '../../ops/plan-view';
import { startShiftExecution } from '../../ops/start';
import { readStatus, renderStatus } from '../../ops/status';
import type { ChatJob } from './job';

/** Minutes of RequestCount behind chat's `status` (the CLI's default). */
const STATUS_MINUTES = 5;

type ControlCommand = Extract<ChatCommand, { command: ButtonAction }>;

const control = async (access: FleetAccess, job: ChatJob, command: ControlCommand): Promise<SlackMessage> => {
  const by = chatRequester(job.source, job.user, job.userName);
  // An execution of another state machine is refused (ops/executions.ts).
  const shift = await controlTarget(access, command.execution);
  const name = shift.executionArn.split(':').pop() ?? shift.executionArn;
  switch (command.command) {
    case 'pause':
      await pauseShift(access, shift, by);
      return actionReply(
        job.user,
        `paused ${name}`,
        `the workflow holds ${whenSeen(shift)}`,
        shift.executionArn,
      );
    case 'resume': {
      const { approvedStep } = await resumeShift(access, shift, by);
      return actionReply(
        job.user,
        `resumed ${name} (step ${approvedStep + 1} approved)`,
        `the workflow goes on ${whenSeen(shift)}`,
        shift.executionArn,
      );
    }
    case 'approve': {
      const { step, total } = await approveSteps(access, shift, by);
      return actionReply(
        job.user,
        `approved step ${step + 1} of ${total} of ${name}`,
        `the workflow sees it ${whenSeen(shift)}`,
        shift.executionArn,
      );
    }
    case 'abort':
      await abortShift(access, shift, by, command.reason === undefined ? {} : { reason: command.reason });
      return actionReply(
        job.user,
        `aborted ${name}${command.reason === undefined ? '' : `: ${command.reason}`}`,
        `the workflow fails ${whenSeen(shift)} and rolls back what it wrote`,
        shift.executionArn,
      );
  }
};

const shiftOrPlan = async (access: FleetAccess, job: ChatJob, command: ShiftingChatCommand) => {
  const { config } = access;
  const request = toShiftRequest(command, config, chatRequester(job.source, job.user, job.userName));
  if (command.command === 'plan') {
    const local = await planLocally(access, request);
    const verdict = local.refused ? 'the workflow would REFUSE this' : 'the workflow would run this';
    return viewReply(
      `plan ${[request.action, request.cluster].filter(Boolean).join(' ')}: ${verdict}`,
      renderPlan(
        local,
        config.clusters.map((c) => c.name),
      ),
    );
  }
  const started = await startShiftExecution(access, request, job.source);
  return startedReply(job.user, request, started);
};

/** The command a job carries: the button's, or the text parsed again here. */
const commandOf = (job: ChatJob): ChatCommand =>
  job.button === undefined
    ? parseChatCommand(job.text ?? '')
    : { command: job.button.action, execution: job.button.executionArn };

/**
 * Runs one chat command through the same operations as the CLI and returns the reply to post.
 * Refusals and failures become replies too (what was refused, and that nothing was changed).
 */
export const runChatCommand = async (access: FleetAccess, job: ChatJob): Promise<SlackMessage> => {
  const command = commandOf(job);
  if (command.command === 'unknown' || command.command === 'invalid') return problemReply(command.message);
  const authorization = authorizeChat(access.config.chatops, {
    user: job.user,
    channel: job.channel,
    command: command.command,
  });
  if (!authorization.allowed) return problemReply(authorization.message);
  const by = chatRequester(job.source, job.user, job.userName);
  try {
    switch (command.command) {
      case 'help':
        return problemReply('help is answered by the chat endpoint itself');
      case 'status': {
        const report = await readStatus(access, STATUS_MINUTES);
        return viewReply(`status of ${access.config.fleet}`, renderStatus(report));
      }
      case 'history': {
        const records = await (await access.store()).listHistory(command.limit);
        return viewReply(`last ${command.limit} shifts of ${access.config.fleet}`, renderHistory(records));
      }
      case 'plan':
      case 'drain':
      case 'restore':
      case 'shift':
        return await shiftOrPlan(access, job, command);
      case 'pause':
      case 'resume':
      case 'approve':
      case 'abort':
        return await control(access, job, command);
      case 'freeze': {
        await freezeFleet(access, command.reason, by);
        return actionReply(
          job.user,
          `froze ${access.config.fleet}: ${command.reason}`,
          'manual shifts are refused until unfreeze (automatic failovers still run)',
        );
      }
      case 'unfreeze': {
        const previous = await unfreezeFleet(access);
        return actionReply(
          job.user,
          previous === undefined ? `${access.config.fleet} was not frozen` : `unfroze ${access.config.fleet}`,
          'manual shifts are allowed again',
        );
      }
    }
  } catch (error) {
    if (error instanceof OperationRefused) return problemReply(error.message, error.details);
    if (isClusterShiftError(error)) return problemReply(`${error.name}: ${error.message}`);
    throw error;
  }
};
