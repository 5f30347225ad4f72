import {
  describeTrigger,
  executionLinks,
  observationWindow,
  observedShare,
  renderText,
} from '../../core/notification';
import { step } from './notification-fixtures';

describe('executionLinks', () => {
  it.each([
    [
      'arn:aws:states:eu-west-1:123456789012:execution:clustershift-prod:run-1',
      'https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/arn:aws:states:eu-west-1:123456789012:execution:clustershift-prod:run-1',
    ],
    [
      'arn:aws-cn:states:cn-north-1:123456789012:execution:clustershift-prod:run-1',
      'https://cn-north-1.console.amazonaws.cn/states/home?region=cn-north-1#/v2/executions/details/arn:aws-cn:states:cn-north-1:123456789012:execution:clustershift-prod:run-1',
    ],
    [
      'arn:aws-us-gov:states:us-gov-west-1:123456789012:execution:clustershift-prod:run-1',
      'https://us-gov-west-1.console.amazonaws-us-gov.com/states/home?region=us-gov-west-1#/v2/executions/details/arn:aws-us-gov:states:us-gov-west-1:123456789012:execution:clustershift-prod:run-1',
    ],
  ])('links %s to the console of its own region and partition', (arn, url) => {
    expect(executionLinks(arn)).toEqual({
      name: 'run-1',
      consoleUrl: url,
      watchCommand: 'clustershift watch run-1',
    });
  });

  it('gives only the watch command for an id that is no execution ARN', () => {
    expect(executionLinks('e-1')).toEqual({ name: 'e-1', watchCommand: 'clustershift watch e-1' });
  });
});

describe('describeTrigger', () => {
  it.each([
    ['alarm:green-5xx', 'alarm green-5xx went to ALARM (automatic failover)'],
    ['auto-restore:green-5xx', 'alarm green-5xx back to OK (automatic restore)'],
    ['cli:arn:aws:sts::123456789012:assumed-role/Admin/alice', 'operator alice via the CLI'],
    ['cli:arn:aws:iam::123456789012:user/bob', 'operator bob via the CLI'],
    ['cli:arn:aws:iam::123456789012:root', 'operator root via the CLI'],
    ['cli:carol', 'operator carol via the CLI'],
    ['slack:U0123ABC (dave)', 'operator dave via Slack (U0123ABC)'],
    ['slack:U0123ABC', 'operator U0123ABC via Slack'],
    ['webhook:ops-bot', 'operator ops-bot via the chat webhook'],
    ['console:erin', 'operator erin via the Step Functions console'],
    ['api:deployer', 'deployer via the API'],
    ['someone', 'someone'],
  ])('describes %s as "%s"', (requestedBy, words) => {
    expect(describeTrigger(requestedBy)).toBe(words);
  });
});

describe('observationWindow', () => {
  const at = (time: string) => new Date(`2026-11-23T${time}Z`);

  it('counts only whole minutes that began after the write and have ended', () => {
    expect(observationWindow(at('10:00:10'), at('10:03:30'))).toEqual({
      start: at('10:01:00'),
      end: at('10:03:00'),
      minutes: 2,
    });
  });

  it('counts a write on the minute from that minute', () => {
    expect(observationWindow(at('10:00:00'), at('10:01:00'))?.minutes).toBe(1);
  });

  it('has no window until one such minute has ended', () => {
    expect(observationWindow(at('10:00:10'), at('10:01:59'))).toBeUndefined();
  });
});

describe('observedShare', () => {
  it('gives each cluster its fraction of the requests counted', () => {
    expect(observedShare({ blue: 25, green: 75 }, 3)).toEqual({
      status: 'measured',
      shares: { blue: 0.25, green: 0.75 },
      requests: 100,
      minutes: 3,
    });
  });

  it('is not measured yet when no request was counted', () => {
    expect(observedShare({ blue: 0, green: 0 }, 2)).toEqual({
      status: 'not-measured',
      why: 'no requests counted in the 2 min since the step was written',
    });
  });
});

describe('who asked, in a message', () => {
  it('says a chat requester once: name, where from and id', () => {
    const { text } = renderText(step({ requestedBy: 'slack:U024BE7LH (alice)' }));

    expect(text).toContain('requested by: operator alice via Slack (U024BE7LH)');
    expect(text).not.toContain('slack:U024BE7LH (alice) —');
  });
});
