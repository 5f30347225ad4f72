import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm start` as a new user meets it: the demo synthesizes the stack, starts the twin in its own
 * process and drives the real CLI through a refused drain, a forced drain verified from the twin's
 * metrics, a restore and a report. Runs `cli/start.ts` the way the npm script does, from the repo root.
 */
const ROOT = join(__dirname, '..', '..');

const runDemo = (...args: string[]): Promise<{ code: number | null; output: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('cli', 'start.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });

describe('npm start', () => {
  it('runs the demo to the end: refusal, verified drain, restore and an SVG report', async () => {
    // Prepare
    const startedAt = Date.now();

    // Act
    const { code, output } = await runDemo();

    // Assert
    const context = `demo output:\n${output}`;
    expect({ code, context }).toMatchObject({ code: 0 });
    expect(output).toContain('single-cluster-route');
    expect(output).toContain('reports.demo.example.com');
    expect(output).toContain('verified drained');
    expect(output).toContain('restore blue succeeded');
    const report = /Report: (\S+)/.exec(output)?.[1] ?? '';
    expect(existsSync(report)).toBe(true);
    // Written by this run, not left from an earlier one (second precision on some file systems).
    expect(statSync(report).mtimeMs).toBeGreaterThanOrEqual(startedAt - 1_000);
    expect(readFileSync(report, 'utf8')).toContain('<svg');
  }, 120_000);

  it('plays the failover scenario: the alarm moves traffic with no operator, then fails static with a notification', async () => {
    // Act
    const { code, output } = await runDemo('--scenario', 'failover');

    // Assert
    expect({ code, context: `demo output:\n${output}` }).toMatchObject({ code: 0 });
    expect(output).toContain('requested by: alarm:demo-green-5xx');
    expect(output).toContain('failover green succeeded');
    expect(output).toContain('last-cluster: fail static');
    expect(output).toContain('FAIL STATIC, failover blue refused');
    expect(existsSync(/Report: (\S+)/.exec(output)?.[1] ?? '')).toBe(true);
  }, 120_000);

  it('lists its scenarios with --help and refuses an unknown one with exit 2', async () => {
    const help = await runDemo('--help');
    const unknown = await runDemo('--scenario', 'nope');

    expect(help.code).toBe(0);
    expect(help.output).toMatch(/drain .*\(default\)/);
    expect(help.output).toMatch(/failover /);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain('unknown scenario nope');
  }, 60_000);
});
