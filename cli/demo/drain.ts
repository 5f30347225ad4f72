import { join } from 'node:path';
import { chatStep } from './chat';
import { bold, DEMO_DIR, type DemoSession, expect, say } from './session';

const REASON = 'upgrade blue to Kubernetes 1.31';

/**
 * The default scenario: status, a drain refused by a guardrail, the drain done with live progress
 * and verification from the twin's metrics, a restore, and an HTML report of the drain.
 */
export const drainScenario = async (demo: DemoSession): Promise<string> => {
  say(bold('1. Where traffic is: two clusters, nine services, one of them (reports) only on blue.'));
  expect((await demo.cli(['status'])).code === 0, 'status failed');

  say(bold('2. Drain blue for its upgrade. The workflow refuses: reports would go dark.'));
  const refused = await demo.cli(['drain', 'blue', '--reason', REASON, '--wait', '--interval', '1']);
  expect(refused.code === 1, `the refused drain exited ${refused.code}, not 1`);
  expect(
    refused.output.includes('single-cluster-route') && refused.output.includes('reports.demo.example.com'),
    'the refusal did not name single-cluster-route and reports.demo.example.com',
  );

  say(
    bold(
      '3. Drain blue, forcing single-cluster-route: reports stays on blue, the other routes move in 4 steps.',
    ),
  );
  say(
    '   (The honest fix is to deploy reports to green first; forcing is shown because it is recorded in history.)',
  );
  const drain = await demo.cli([
    'drain',
    'blue',
    '--force',
    'single-cluster-route',
    '--reason',
    REASON,
    '--watch',
    '--interval',
    '1',
  ]);
  expect(drain.code === 0, `the drain exited ${drain.code}`);
  expect(drain.output.includes('verified drained'), 'the drain did not report its verification');

  say(
    bold(
      '4. Blue is drained (verified above from its RequestCount): it now serves only reports, held on purpose.',
    ),
  );
  expect((await demo.cli(['status', '--minutes', '1'])).code === 0, 'status failed');

  say(bold('5. Blue is upgraded; restore it to its baseline weights.'));
  const restore = await demo.cli([
    'restore',
    'blue',
    '--reason',
    'blue upgraded',
    '--watch',
    '--interval',
    '1',
  ]);
  expect(restore.code === 0, `the restore exited ${restore.code}`);
  expect((await demo.cli(['history'])).code === 0, 'history failed');

  say(bold('6. The same history from Slack: the twin serves the chat endpoint the stack deploys.'));
  await chatStep(demo);

  say(bold('7. The shift report of the drain.'));
  const drainArn = await demo.latestExecution('cli-drain-blue');
  const reportFile = join(DEMO_DIR, 'report-drain-blue.html');
  expect((await demo.cli(['report', drainArn, '--out', reportFile])).code === 0, 'report failed');
  return reportFile;
};
