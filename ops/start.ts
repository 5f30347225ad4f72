import { randomBytes } from 'node:crypto';
import { startShift } from '../aws/sfn';
import type { Action, ShiftRequest } from '../core/request';
import { utc } from '../core/utc';
import type { FleetAccess } from './access';
import { OperationRefused } from './errors';

/** A readable, unique execution name: `cli-drain-blue-20261123T100000-3f9a`, `slack-restore-blue-…`. */
export const executionName = (
  source: string,
  action: Action,
  cluster: string | undefined,
  at: Date,
): string => {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, '');
  return [source, action, cluster, stamp, randomBytes(2).toString('hex')]
    .filter(Boolean)
    .join('-')
    .slice(0, 80);
};

/**
 * The workflow would refuse a shift while another holds the fleet (LockHeld) or the fleet is frozen
 * and `frozen` is not forced (GuardrailViolation); saying so before starting leaves no failed
 * execution behind.
 */
export const refuseEarly = async (access: FleetAccess, force: readonly string[]): Promise<void> => {
  const store = await access.store();
  const [lock, freeze] = await Promise.all([store.getLock(), store.getFreeze()]);
  if (lock !== undefined && lock.expiresAt * 1000 > (await access.serviceNow()).getTime()) {
    const what = [lock.action, lock.cluster].filter(Boolean).join(' ');
    throw new OperationRefused(`LockHeld: fleet ${access.config.fleet} is locked by ${lock.executionId}`, [
      `  ${what} by ${lock.requestedBy}, lease until ${utc(new Date(lock.expiresAt * 1000))} UTC`,
      '  nothing was started; wait for it (watch), or abort it (abort)',
    ]);
  }
  if (freeze !== undefined && !force.includes('frozen')) {
    throw new OperationRefused(
      `frozen: fleet ${access.config.fleet} is frozen by ${freeze.by} since ${utc(freeze.at)} UTC`,
      [
        `  reason: ${freeze.reason}`,
        '  nothing was started; unfreeze, or force `frozen` to shift anyway (recorded)',
      ],
    );
  }
};

/**
 * Starts the workflow for a validated request, after refusing early what it would refuse (a dry
 * run is always started: it writes nothing). `source` prefixes the execution name (`cli`, `slack`).
 */
export const startShiftExecution = async (
  access: FleetAccess,
  request: ShiftRequest,
  source: string,
): Promise<{ executionArn: string; name: string }> => {
  const { stateMachineArn } = await access.deployment();
  if (request.dryRun !== true) await refuseEarly(access, request.force);
  const name = executionName(source, request.action, request.cluster, access.now());
  const started = await startShift(stateMachineArn, request, name, access.clients.sfn());
  return { executionArn: started.executionArn, name };
};
