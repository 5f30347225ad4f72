import { spawn } from 'node:child_process';
import { join } from 'node:path';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..');

interface PartitionRun {
  readonly partition: string;
  readonly loadBalancerArn: string;
  readonly stateMachineArn: string;
  readonly taskResources: string[];
  readonly templateNamesAwsPartition: boolean;
  readonly drain: { code: number; output: string; stderr: string };
}

/** test/support/partition-run.ts for `region`: its last stdout line, parsed. */
const drainIn = (region: string): Promise<PartitionRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'test', 'support', 'partition-run.ts'), region],
      { cwd: ROOT, env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('exit', (code) => {
      const line = stdout.split('\n').find((text) => text.startsWith('{"region"'));
      if (code !== 0 || line === undefined)
        reject(new Error(`partition-run ${region} exited ${code}:\n${stderr}`));
      else resolve(JSON.parse(line) as PartitionRun);
    });
  });

describe.each([
  ['cn-north-1', 'aws-cn'],
  ['us-gov-west-1', 'aws-us-gov'],
])('the stack synthesized for %s, deployed on a twin in that region', (region, partition) => {
  it(`runs a drain to SUCCEEDED, every ARN in ${partition}, the Lambda tasks through arn:${partition}:states:::lambda:invoke`, async () => {
    // Act
    const result = await drainIn(region);

    // Assert
    expect(result.partition).toBe(partition);
    expect(result.templateNamesAwsPartition).toBe(false);
    expect(result.loadBalancerArn).toMatch(new RegExp(`^arn:${partition}:elasticloadbalancing:${region}:`));
    expect(result.stateMachineArn).toBe(
      `arn:${partition}:states:${region}:000000000000:stateMachine:clustershift-demo`,
    );
    expect(result.taskResources).toEqual([`arn:${partition}:states:::lambda:invoke`]);
    expect({ code: result.drain.code, stderr: result.drain.stderr }).toMatchObject({ code: 0 });
    const drain = JSON.parse(result.drain.output) as { status: string; executionArn: string };
    expect(drain.status).toBe('SUCCEEDED');
    expect(drain.executionArn).toMatch(new RegExp(`^arn:${partition}:states:${region}:`));
  });
});
