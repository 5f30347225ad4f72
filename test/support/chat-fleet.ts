import type { FleetConfigInput } from '../../core/config';

/** The on-call channel the chat fleet allows. */
export const CHAT_CHANNEL = 'C0ONCALL';

/**
 * The fleet the chat handler tests run: two clusters, chat on with both secrets, one channel, an
 * admin and a bot allowed everything, a viewer allowed status and history.
 */
export const chatFleetConfig = (): FleetConfigInput => ({
  fleet: 'chat',
  region: 'eu-west-1',
  loadBalancers: [
    { arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/prod/50dc6c495c0c9188' },
  ],
  clusters: [{ name: 'blue' }, { name: 'green' }],
  chatops: {
    enabled: true,
    signingSecret: 'clustershift/slack-signing',
    webhookSecret: 'clustershift/webhook',
    channels: [CHAT_CHANNEL],
    users: [
      { id: 'U0ADMIN', commands: ['all'] },
      { id: 'U0VIEWER', commands: ['status', 'history'] },
      { id: 'pagerbot', commands: ['all'] },
    ],
  },
});
