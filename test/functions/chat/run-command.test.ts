import { validateFleetConfig } from '../../../core/config';
import { runActCommand } from '../../../functions/chat/act';
import type { ChatJob } from '../../../functions/chat/job';
import { runPlanCommand } from '../../../functions/chat/plan';
import { runChatCommand } from '../../../functions/chat/run-command';
import { runStatusCommand } from '../../../functions/chat/status';
import type { FleetAccess } from '../../../ops/access';
import { chatFleetConfig } from '../../support/chat-fleet';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:clustershift-chat';

const config = validateFleetConfig(chatFleetConfig());

/** A fleet whose every read or write fails the test: what the refusals must never touch. */
const untouchable = (): FleetAccess => {
  const refuse = () => {
    throw new Error('the fleet was touched');
  };
  return {
    config,
    region: 'eu-west-1',
    stackName: 'ClusterShift-chat',
    clients: { elbv2: refuse, cloudwatch: refuse, sfn: refuse },
    deployment: async () => ({ stateMachineArn: STATE_MACHINE }),
    store: async () => refuse(),
    now: () => new Date('2026-11-23T10:00:00Z'),
    serviceNow: async () => new Date('2026-11-23T10:00:00Z'),
  };
};

const job = (overrides: Partial<ChatJob>): ChatJob => ({
  source: 'slack',
  user: 'U0ADMIN',
  channel: 'C0ONCALL',
  ...overrides,
});

describe('runChatCommand refuses without touching the fleet', () => {
  it('refuses a button for an execution of another state machine', async () => {
    // Prepare
    const foreign = 'arn:aws:states:eu-west-1:123456789012:execution:someone-elses:run-1';

    // Act
    const reply = await runChatCommand(
      untouchable(),
      job({ button: { action: 'abort', executionArn: foreign } }),
      'act',
      runActCommand,
    );

    // Assert
    expect(reply.text).toContain(`${foreign} is not an execution of ${STATE_MACHINE}`);
    expect(reply.response_type).toBe('ephemeral');
  });

  it('checks the allow-list again: a viewer cannot drain even if the job says so', async () => {
    const reply = await runChatCommand(
      untouchable(),
      job({ user: 'U0VIEWER', text: 'drain blue upgrade' }),
      'act',
      runActCommand,
    );

    expect(reply.text).toMatch(/may not run drain/);
  });

  it('refuses a job from a channel not on the list', async () => {
    const reply = await runChatCommand(
      untouchable(),
      job({ channel: 'C0ELSEWHERE', text: 'status' }),
      'status',
      runStatusCommand,
    );

    expect(reply.text).toContain('C0ELSEWHERE');
  });

  it('answers invalid text with its problem and touches nothing', async () => {
    const reply = await runChatCommand(untouchable(), job({ text: 'drain' }), 'act', runActCommand);

    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toMatch(/drain/);
  });

  it('refuses a drain of a cluster the fleet does not have, naming it', async () => {
    const reply = await runChatCommand(
      untouchable(),
      job({ text: 'drain purple upgrade' }),
      'act',
      runActCommand,
    );

    expect(reply.text).toContain('purple');
  });

  it.each([
    ['drain blue upgrade', 'status', runStatusCommand, 'act'],
    ['status', 'act', runActCommand, 'status'],
    ['plan drain blue', 'status', runStatusCommand, 'plan'],
    ['history', 'plan', runPlanCommand, 'status'],
  ] as const)(
    'refuses `%s` sent to the %s worker, naming the worker that runs it',
    async (text, worker, run, owner) => {
      // Act
      const reply = await runChatCommand(untouchable(), job({ text }), worker, run);

      // Assert
      expect(reply.text).toContain(
        `is run by the ${owner} worker, not the ${worker} worker; nothing was changed`,
      );
      expect(reply.response_type).toBe('ephemeral');
    },
  );

  it('refuses a button sent to a worker that only reads', async () => {
    // Act
    const reply = await runChatCommand(
      untouchable(),
      job({
        button: {
          action: 'approve',
          executionArn: `${STATE_MACHINE.replace('stateMachine', 'execution')}:run-1`,
        },
      }),
      'plan',
      runPlanCommand,
    );

    // Assert
    expect(reply.text).toContain('`approve` is run by the act worker');
  });
});
