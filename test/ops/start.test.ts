import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import type { ShiftStore } from '../../aws/store';
import { validateFleetConfig } from '../../core/config';
import { validateShiftRequest } from '../../core/request';
import type { FleetAccess } from '../../ops/access';
import { OperationRefused } from '../../ops/errors';
import { executionName, startShiftExecution } from '../../ops/start';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:clustershift-ops';
const NOW = new Date('2026-11-23T10:00:00Z');

const config = validateFleetConfig({
  fleet: 'ops',
  region: 'eu-west-1',
  loadBalancers: [
    { arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/prod/50dc6c495c0c9188' },
  ],
  clusters: [{ name: 'blue' }, { name: 'green' }],
});

const sfn = mockClient(SFNClient);

/** A fleet whose lock and freeze are as given; only StartExecution (mocked) can be called. */
const access = (state: { lock?: object; freeze?: object }): FleetAccess => {
  const store = {
    getLock: async () => state.lock,
    getFreeze: async () => state.freeze,
  } as unknown as ShiftStore;
  const refuse = () => {
    throw new Error('not used');
  };
  return {
    config,
    region: 'eu-west-1',
    stackName: 'ClusterShift-ops',
    clients: { elbv2: refuse, cloudwatch: refuse, sfn: () => new SFNClient({}) },
    deployment: async () => ({ stateMachineArn: STATE_MACHINE }),
    store: async () => store,
    now: () => NOW,
    serviceNow: async () => NOW,
  };
};

const drain = (extra: object = {}) =>
  validateShiftRequest(
    { action: 'drain', cluster: 'blue', reason: 'upgrade', requestedBy: 'slack:U1 (alice)', ...extra },
    config,
  );

beforeEach(() => {
  sfn.reset();
  sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => ({
    executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${input.name}`,
    startDate: NOW,
  }));
});

describe('startShiftExecution', () => {
  it('starts the workflow with a readable name that says where it came from', async () => {
    const started = await startShiftExecution(access({}), drain(), 'slack');

    expect(started.name).toMatch(/^slack-drain-blue-20261123T100000-[0-9a-f]{4}$/);
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toMatchObject({
      stateMachineArn: STATE_MACHINE,
      name: started.name,
    });
  });

  it('refuses while another shift holds the lease, naming it, and starts nothing', async () => {
    const lock = {
      executionId: 'arn:aws:states:eu-west-1:123456789012:execution:clustershift-ops:cli-shift-1',
      action: 'shift',
      requestedBy: 'cli:bob',
      expiresAt: NOW.getTime() / 1000 + 600,
    };

    const attempt = startShiftExecution(access({ lock }), drain(), 'slack');

    await expect(attempt).rejects.toThrow(OperationRefused);
    await expect(attempt).rejects.toThrow(/LockHeld: fleet ops is locked by .*cli-shift-1/);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('ignores a lease that has run out', async () => {
    const lock = {
      executionId: 'x',
      action: 'shift',
      requestedBy: 'cli:bob',
      expiresAt: NOW.getTime() / 1000 - 1,
    };

    await startShiftExecution(access({ lock }), drain(), 'cli');

    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it('refuses while the fleet is frozen unless `frozen` is forced', async () => {
    const freeze = { reason: 'sale', by: 'cli:carol', at: NOW };

    await expect(startShiftExecution(access({ freeze }), drain(), 'cli')).rejects.toThrow(
      /frozen: fleet ops/,
    );
    await startShiftExecution(access({ freeze }), drain({ force: ['frozen'] }), 'cli');

    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it('starts a dry run even while the fleet is locked: it writes nothing', async () => {
    const lock = {
      executionId: 'x',
      action: 'shift',
      requestedBy: 'cli:bob',
      expiresAt: NOW.getTime() / 1000 + 600,
    };

    await startShiftExecution(access({ lock }), drain({ dryRun: true }), 'cli');

    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });
});

describe('executionName', () => {
  it('stays within Step Functions’ 80 characters', () => {
    expect(executionName('webhook', 'restore', 'a'.repeat(40), NOW).length).toBeLessThanOrEqual(80);
  });
});
