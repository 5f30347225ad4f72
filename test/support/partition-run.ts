// A drain on the twin in another partition: `node --import tsx test/support/partition-run.ts <region> <outdir>`.
// The demo fleet is moved to <region> (its load balancer and topic ARNs in that region's partition),
// synthesized, deployed on a twin started in <region>, and drained with the real CLI. Prints one JSON
// line with what a test checks. A script of its own because the twin runs the ESM Lambda bundles,
// which jest cannot import (see test/support/twin-process.ts).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeStateMachineCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { parse, stringify } from 'yaml';
import { run } from '../../cli/main';
import { DEMO_CONFIG_FILE, DEMO_SEED_FILE } from '../../local/demo';
import { partitionOf } from '../../local/partition';
import { startTwin } from '../../local/server';
import { REPO_ROOT, synthesizeFleet } from '../../local/synth';

const [region = 'cn-north-1', outdir = join(REPO_ROOT, '.clustershift', `partition-${region}`)] =
  process.argv.slice(2);

const main = async (): Promise<void> => {
  const partition = partitionOf(region);
  const twin = await startTwin({ port: 0, region, timeScale: 600, seedFile: DEMO_SEED_FILE });
  const clientConfig = {
    endpoint: twin.endpoint,
    region,
    credentials: { accessKeyId: 'twin', secretAccessKey: 'twin' },
  };
  try {
    const elbv2 = new ElasticLoadBalancingV2Client(clientConfig);
    const [lb] = (await elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    elbv2.destroy();

    // The demo config in this region; no chat, whose functions add nothing to what is checked here.
    const config = parse(readFileSync(DEMO_CONFIG_FILE, 'utf8')) as Record<string, unknown>;
    const topicArn = `arn:${partition}:sns:${region}:${twin.accountId}:clustershift-demo`;
    Object.assign(config, {
      region,
      loadBalancers: [{ arn: lb?.LoadBalancerArn }],
      notifications: { level: 'steps', snsTopicArn: topicArn },
      chatops: { enabled: false },
    });
    mkdirSync(resolve(outdir), { recursive: true });
    const configFile = join(resolve(outdir), 'clustershift.yaml');
    writeFileSync(configFile, stringify(config));
    const synth = await synthesizeFleet(configFile, join(resolve(outdir), 'cdk.out'));
    const template = readFileSync(synth.templateFile, 'utf8');

    for (const name of ['demo-alb-5xx', 'demo-blue-5xx', 'demo-green-5xx']) {
      twin.cloudwatch.ensureAlarm(name);
      twin.cloudwatch.setAlarmState(name, 'OK', 'starts healthy');
    }
    twin.sns.ensureTopic(topicArn);
    await twin.deploy(synth.templateFile);

    const sfn = new SFNClient(clientConfig);
    const [machine] = (await sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? [];
    const definition = (
      await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machine?.stateMachineArn }))
    ).definition;
    sfn.destroy();

    let stdout = '';
    let stderr = '';
    const code = await run(
      [
        'drain',
        'blue',
        '--force',
        'single-cluster-route',
        '--reason',
        `drain in ${region}`,
        '--wait',
        '--json',
      ],
      {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
        env: { ...process.env, AWS_ENDPOINT_URL: twin.endpoint, CLUSTERSHIFT_CONFIG: configFile },
        cwd: REPO_ROOT,
      },
    );
    const lambdaInvokes = [...(definition ?? '').matchAll(/"Resource":\s*"([^"]+)"/g)].map((m) => m[1]);
    process.stdout.write(
      `${JSON.stringify({
        region,
        partition,
        loadBalancerArn: lb?.LoadBalancerArn,
        stateMachineArn: machine?.stateMachineArn,
        taskResources: [...new Set(lambdaInvokes)],
        templateNamesAwsPartition: /arn:aws:/.test(template),
        drain: { code, output: stdout, stderr },
      })}\n`,
    );
  } finally {
    await twin.close();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(
    `partition-run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
