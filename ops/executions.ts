import { listShifts } from '../aws/sfn';
import { executionArnFor } from '../core/chat/execution-ref';
import { utc } from '../core/utc';
import type { ReadAccess } from './access';
import { OperationRefused } from './errors';

/**
 * `name` → its ARN under the state machine; an ARN must be one of its executions: a command must
 * not reach executions clustershift did not start.
 */
export const executionArnOf = (stateMachineArn: string, nameOrArn: string): string => {
  const arn = executionArnFor(stateMachineArn, nameOrArn);
  if (arn === undefined) {
    throw new OperationRefused(`${nameOrArn} is not an execution of ${stateMachineArn}; nothing was changed`);
  }
  return arn;
};

/**
 * The shift to act on: the one named, else the lock's holder (the execution that owns the fleet),
 * else the only running execution (one still in Prepare holds no lock yet). Refuses to guess
 * between several.
 */
export const targetExecution = async (ctx: ReadAccess, named?: string): Promise<string> => {
  const { stateMachineArn } = await ctx.deployment();
  if (named !== undefined) return executionArnOf(stateMachineArn, named);
  const lock = await (await ctx.store()).getLock();
  if (lock !== undefined && lock.expiresAt * 1000 > (await ctx.serviceNow()).getTime())
    return lock.executionId;
  const running = await listShifts(stateMachineArn, { status: 'RUNNING', maxResults: 10 }, ctx.clients.sfn());
  const [only, ...others] = running;
  if (only === undefined) {
    throw new OperationRefused('no shift is running (history lists past ones)');
  }
  if (others.length > 0) {
    throw new OperationRefused(
      `${running.length} executions are running and none holds the fleet lock; name the one to act on (CLI --execution <name>, chat: the name after the command)`,
      running.map((e) => `  ${e.name} (since ${utc(e.startDate)} UTC)`),
    );
  }
  return only.executionArn;
};
