import type { SlackMessage } from '../../core/chat/blocks';
import { type ChatCommand, chatRequester, toShiftRequest } from '../../core/chat/parse-command';
import { actionReply, startedReply } from '../../core/chat/replies';
import type { ButtonAction } from '../../core/chat-commands';
import type { FleetAccess } from '../../ops/access';
import {
  abortShift,
  approveSteps,
  controlTarget,
  pauseShift,
  resumeShift,
  whenSeen,
} from '../../ops/control';
import { freezeFleet, unfreezeFleet } from '../../ops/freeze';
import { startShiftExecution } from '../../ops/start';
import type { ChatJob } from './job';
import type { CommandRunner } from './run-command';

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

/**
 * The acting worker: starts drains, restores and shifts, controls running ones (pause, resume,
 * approve, abort) and freezes the fleet. It reads no load balancer: the workflow does that.
 */
export const runActCommand: CommandRunner = async (access, job, command) => {
  const by = chatRequester(job.source, job.user, job.userName);
  switch (command.command) {
    case 'drain':
    case 'restore':
    case 'shift': {
      const request = toShiftRequest(command, access.config, by);
      const started = await startShiftExecution(access, request, job.source);
      return startedReply(job.user, request, started);
    }
    case 'pause':
    case 'resume':
    case 'approve':
    case 'abort':
      return await control(access, job, command);
    case 'freeze':
      await freezeFleet(access, command.reason, by);
      return actionReply(
        job.user,
        `froze ${access.config.fleet}: ${command.reason}`,
        'manual shifts are refused until unfreeze (automatic failovers still run)',
      );
    case 'unfreeze': {
      const previous = await unfreezeFleet(access);
      return actionReply(
        job.user,
        previous === undefined ? `${access.config.fleet} was not frozen` : `unfroze ${access.config.fleet}`,
        'manual shifts are allowed again',
      );
    }
    default:
      throw new Error(`the acting worker does not run ${command.command}`);
  }
};
