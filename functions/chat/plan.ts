import type { ShiftStoreReader } from '../../aws/store';
import { chatRequester, toShiftRequest } from '../../core/chat/parse-command';
import { viewReply } from '../../core/chat/replies';
import { planLocally } from '../../ops/plan';
import { renderPlan } from '../../ops/plan-view';
import type { CommandRunner } from './run-command';

/** The plan worker: `plan`, which reads the fleet and plans as the workflow would, writing nothing. */
export const runPlanCommand: CommandRunner<ShiftStoreReader> = async (access, job, command) => {
  if (command.command !== 'plan') throw new Error(`the plan worker does not run ${command.command}`);
  const { config } = access;
  const request = toShiftRequest(command, config, chatRequester(job.source, job.user, job.userName));
  const local = await planLocally(access, request);
  const verdict = local.refused ? 'the workflow would REFUSE this' : 'the workflow would run this';
  return viewReply(
    `plan ${[request.action, request.cluster].filter(Boolean).join(' ')}: ${verdict}`,
    renderPlan(
      local,
      config.clusters.map((c) => c.name),
    ),
  );
};
