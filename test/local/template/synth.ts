import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { FleetConfig } from '../../../core/config';
import { buildApp } from '../../../infra/build-app';
import { FLEET_CONFIG_FILE } from '../../../infra/bundling/bundle-function';
import { loadFleetConfigFile } from '../../../infra/config-file';
import type { DeployPlan } from '../../../local/template/plan';
import { cdkContext } from '../../infra/helpers';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** The shipped example fleet (what `npm run synth` synthesizes). */
export const exampleConfig = (): FleetConfig =>
  loadFleetConfigFile({ path: resolve(REPO_ROOT, 'clustershift.example.yaml'), source: 'context' });

/**
 * The real stack's template, synthesized in-process with the infra app builder (cdk-nag included).
 * Bundling is skipped: esbuild would add ~10 s per test file and jest cannot import the ESM bundles
 * anyway (the Lambda runtime's tests inject the source handlers). Asset metadata is on, as `cdk synth`
 * has it, so each function names its code folder (with bundling skipped, the project root).
 */
export const synthTemplate = (config: FleetConfig = exampleConfig()) => {
  const app = new App({
    context: { ...cdkContext(), 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-asset-metadata': true },
  });
  const stack = buildApp(app, config);
  const template = app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
  return { stackName: stack.stackName, template };
};

/**
 * The plan with what bundling would have put in each function's asset folder: synthTemplate skips
 * bundling, so the folder is the handlers' source folder, which holds no fleet config. Each function's
 * code folder becomes one temporary folder holding the config as the construct ships it (the tests
 * run the source handlers, so nothing else is read from it).
 */
export const withFleetConfigAsset = (plan: DeployPlan, config: FleetConfig): DeployPlan => {
  const codeDir = mkdtempSync(join(tmpdir(), 'clustershift-asset-'));
  writeFileSync(join(codeDir, FLEET_CONFIG_FILE), JSON.stringify(config));
  return { ...plan, functions: plan.functions.map((fn) => ({ ...fn, codeDir })) };
};
