#!/usr/bin/env node
// CDK app entry (cdk.json: `npx tsx infra/app.ts`). The only file in infra/ that reads the context
// or the environment: the fleet config path comes from `-c config=<path>`, else CLUSTERSHIFT_CONFIG,
// else clustershift.yaml.
import { App } from 'aws-cdk-lib';
import type { FleetConfig } from '../core/config';
import { InvalidConfigError } from '../core/errors';
import { buildApp } from './build-app';
import { chooseConfigPath, FleetConfigNotFoundError, loadFleetConfigFile } from './config-file';

const app = new App();

const loadConfig = (): FleetConfig => {
  try {
    return loadFleetConfigFile(
      chooseConfigPath(app.node.tryGetContext('config'), process.env.CLUSTERSHIFT_CONFIG),
    );
  } catch (error) {
    // An operator's mistake, not a bug: the message says what to fix, a stack trace would bury it.
    if (error instanceof FleetConfigNotFoundError || error instanceof InvalidConfigError) {
      console.error(`clustershift: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
};

buildApp(app, loadConfig());
app.synth();
