import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BUNDLE_FILE, FLEET_CONFIG_FILE } from '../../infra/bundling/bundle-function';
import { bundledCode } from '../../infra/handler-function';
import { cdkContext, FIXTURE_FUNCTIONS, fleet, REPO_ROOT } from './helpers';

interface BundledAsset {
  /** The asset folder CDK staged (what is zipped and uploaded, and what the twin runs). */
  readonly dir: string;
  /** The S3 key the function's code points at: the asset hash. */
  readonly s3Key: unknown;
}

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** Synthesizes one function with bundledCode, bundling for real (esbuild, the fixture's entry file). */
const synthFunction = (fleetConfig: string): BundledAsset => {
  const outdir = mkdtempSync(join(tmpdir(), 'clustershift-asset-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: { ...cdkContext(), 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'Assets');
  new lambda.Function(stack, 'Lock', {
    code: bundledCode(join(FIXTURE_FUNCTIONS, 'lock.ts'), REPO_ROOT, fleetConfig),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_22_X,
  });
  const template = app.synth().getStackByName('Assets').template as {
    Resources: Record<
      string,
      { Type: string; Metadata?: Record<string, string>; Properties: { Code: { S3Key: unknown } } }
    >;
  };
  const [fn] = Object.values(template.Resources).filter(
    (resource) => resource.Type === 'AWS::Lambda::Function',
  );
  return {
    dir: join(outdir, fn?.Metadata?.['aws:asset:path'] ?? ''),
    s3Key: fn?.Properties.Code.S3Key,
  };
};

describe("a handler function's code asset", () => {
  it('holds the bundle and, beside it, the fleet config exactly as given', () => {
    // Prepare
    const config = JSON.stringify(fleet());

    // Act
    const asset = synthFunction(config);

    // Assert
    expect(existsSync(join(asset.dir, BUNDLE_FILE))).toBe(true);
    expect(readFileSync(join(asset.dir, FLEET_CONFIG_FILE), 'utf8')).toBe(config);
  }, 60_000);

  it('changes with the config: another config is another asset hash, so the function is updated', () => {
    // Prepare
    const config = fleet();
    const changed = { ...config, gateAlarms: [...config.gateAlarms, 'another-gate'] };

    // Act
    const first = synthFunction(JSON.stringify(config));
    const again = synthFunction(JSON.stringify(config));
    const second = synthFunction(JSON.stringify(changed));

    // Assert
    expect(again.s3Key).toEqual(first.s3Key);
    expect(second.s3Key).not.toEqual(first.s3Key);
    expect(JSON.parse(readFileSync(join(second.dir, FLEET_CONFIG_FILE), 'utf8'))).toEqual(changed);
  }, 60_000);
});
