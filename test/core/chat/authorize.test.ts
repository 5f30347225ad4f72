import { allowedCommands, authorizeChat } from '../../../core/chat/authorize';
import type { ChatCommandName } from '../../../core/chat-commands';
import { config } from '../fixtures';

const chatops = config(['blue', 'green'], {
  chatops: {
    enabled: true,
    signingSecret: 'clustershift/slack-signing-secret',
    channels: ['C0PS'],
    users: [
      { id: 'U0ONCALL', commands: ['all'] },
      { id: 'U0VIEWER' },
      { id: 'U0PAUSER', commands: ['pause', 'resume', 'status'] },
    ],
  },
}).chatops;

const ask = (user: string, channel: string, command: ChatCommandName) =>
  authorizeChat(chatops, { user, channel, command });

describe('authorizeChat', () => {
  it('lets a user with all run anything in a listed channel', () => {
    expect(ask('U0ONCALL', 'C0PS', 'drain')).toEqual({ allowed: true });
    expect(ask('U0ONCALL', 'C0PS', 'unfreeze')).toEqual({ allowed: true });
  });

  it('lets a user with no commands listed run the read-only ones only', () => {
    expect(ask('U0VIEWER', 'C0PS', 'status')).toEqual({ allowed: true });
    expect(ask('U0VIEWER', 'C0PS', 'drain')).toEqual({
      allowed: false,
      message: 'you may not run drain; you may run: status, plan, history, help',
    });
  });

  it('lets any listed user ask for help, even when help is not among their commands', () => {
    expect(ask('U0PAUSER', 'C0PS', 'help')).toEqual({ allowed: true });
  });

  it('names the commands a user may run when refusing one', () => {
    expect(ask('U0PAUSER', 'C0PS', 'abort')).toEqual({
      allowed: false,
      message: 'you may not run abort; you may run: status, help, pause, resume',
    });
  });

  it('refuses a user who is not on the list, help included, without naming who is', () => {
    const verdict = ask('U0STRANGER', 'C0PS', 'help');

    expect(verdict).toEqual({
      allowed: false,
      message: "you (U0STRANGER) are not on clustershift's user list (chatops.users); ask the fleet's owners",
    });
    expect(JSON.stringify(verdict)).not.toContain('U0ONCALL');
  });

  it('refuses a listed user in a channel that is not on the list', () => {
    expect(ask('U0ONCALL', 'C0RANDOM', 'status')).toEqual({
      allowed: false,
      message: "this channel (C0RANDOM) is not on clustershift's channel list (chatops.channels)",
    });
  });

  it('refuses everything when chatops is not enabled', () => {
    const disabled = { ...chatops, enabled: false };

    expect(authorizeChat(disabled, { user: 'U0ONCALL', channel: 'C0PS', command: 'status' })).toEqual({
      allowed: false,
      message: 'chat commands are turned off for this fleet (chatops.enabled)',
    });
  });
});

describe('allowedCommands', () => {
  it('lists nothing for a user who is not on the list', () => {
    expect(allowedCommands(chatops, 'U0STRANGER')).toEqual([]);
  });

  it('unites the commands of a user listed twice', () => {
    const twice = { ...chatops, users: [...chatops.users, { id: 'U0PAUSER', commands: ['abort' as const] }] };

    expect(allowedCommands(twice, 'U0PAUSER')).toEqual(['status', 'help', 'pause', 'resume', 'abort']);
  });
});
