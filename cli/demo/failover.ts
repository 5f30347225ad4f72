import { join } from 'node:path';
import { bold, DEMO_DIR, type DemoSession, expect, say } from './session';

interface Published {
  readonly subject?: string;
  readonly message: string;
  readonly at: string;
}

const executionName = (arn: string): string => arn.split(':').pop() ?? arn;

/** The newest notification published after `since` (twin time), if any. */
const newestNotification = async (demo: DemoSession, since: number): Promise<Published | undefined> => {
  const { messages } = await demo.admin<{ messages: Published[] }>('GET', 'notifications');
  return [...messages].reverse().find((message) => Date.parse(message.at) >= since);
};

const twinNow = async (demo: DemoSession): Promise<number> =>
  Date.parse((await demo.admin<{ now: string }>('GET', 'health')).now);

/**
 * `npm start -- --scenario failover`: green's targets start failing, its 5xx alarm fires, EventBridge
 * starts a failover and traffic moves to blue with nobody at the keyboard; then blue turns sick too,
 * and the failover away from it is refused (fail static) with a clear notification.
 */
export const failoverScenario = async (demo: DemoSession): Promise<string> => {
  say(bold('1. Both clusters healthy; traffic split between blue and green.'));
  expect((await demo.cli(['status', '--minutes', '1'])).code === 0, 'status failed');

  say(bold("2. Green's targets fail their health checks and half of its requests answer 5xx."));
  say("   Nobody runs a command from here on: green's alarm fires, EventBridge starts a failover.");
  const before = new Set((await demo.executions()).map((e) => e.arn));
  await demo.admin('POST', 'clusters/green/health', { healthy: false, errorRate: 0.5 });
  const failover = await demo.nextExecution(before, 'failover away from green');
  say(`   failover started by the alarm: ${executionName(failover)}`);
  const watched = await demo.cli(['watch', executionName(failover), '--interval', '1']);
  expect(watched.code === 0, `the failover exited ${watched.code}`);
  expect(watched.output.includes('verified drained'), 'the failover did not report its verification');

  say(bold('3. Green no longer receives traffic; the history says the alarm did it.'));
  expect((await demo.cli(['status', '--minutes', '1'])).code === 0, 'status failed');
  const history = await demo.cli(['history', '--limit', '3']);
  expect(
    history.output.includes('alarm:demo-green-5xx'),
    'history does not name the alarm that started the failover',
  );

  say(bold('4. Now blue turns sick as well. There is no healthy cluster left to take its traffic.'));
  const since = await twinNow(demo);
  const known = new Set((await demo.executions()).map((e) => e.arn));
  await demo.admin('POST', 'clusters/blue/health', { healthy: false, targets: 1, errorRate: 0.5 });
  const refused = await demo.nextExecution(known, 'failover away from blue');
  const refusal = await demo.cli(['watch', executionName(refused), '--interval', '1']);
  expect(refusal.code === 1, `the failover away from blue exited ${refusal.code}, not 1`);
  expect(refusal.output.includes('last-cluster'), 'the refusal did not name last-cluster');
  expect((await demo.cli(['status', '--minutes', '1'])).code === 0, 'status failed');

  say(bold('5. The notification on-call receives (SNS, as the twin recorded it):'));
  const notification = await newestNotification(demo, since);
  expect(notification !== undefined, 'no notification was published for the refused failover');
  const body = notification?.message ?? '';
  const subject = notification?.subject ?? '';
  for (const line of [body.startsWith(subject) ? '' : subject, ...body.split('\n')]) {
    if (line !== '') say(`   ${line}`);
  }
  say();

  say(bold('6. The shift report of the failover.'));
  const reportFile = join(DEMO_DIR, 'report-failover-green.html');
  expect((await demo.cli(['report', failover, '--out', reportFile])).code === 0, 'report failed');
  return reportFile;
};
