#!/usr/bin/env node
// CDK app entry (cdk.json: `npx tsx infra/app.ts`). The only file in infra/ that reads the context
// or the environment: the fleet config path from `-c config=<path>`, else CLUSTERSHIFT_CONFIG, else
// clustershift.yaml.
import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app';
import { chooseConfigPath, loadFleetConfigFile } from './config-file';

const app = new App();
const config = loadFleetConfigFile(
  chooseConfigPath(app.node.tryGetContext('config'), process.env.CLUSTERSHIFT_CONFIG),
);
buildApp(app, config);
app.synth();
