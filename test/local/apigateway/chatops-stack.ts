import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';

export const CHATOPS_ROUTES = ['/slack/commands', '/slack/interactions', '/webhook'] as const;

/**
 * A tiny stack with the ChatOps shapes (an HttpApi whose POST routes integrate one function with
 * payload 2.0, a worker that function invokes by the name in its environment, the API endpoint as
 * an output), synthesized with the real CDK constructs so the twin is tested on the resources CDK
 * writes, not on hand-made ones. The code is a placeholder folder: the twin's tests inject handlers.
 * The caller removes `outdir` when done.
 */
export const synthChatOpsStack = (): {
  outdir: string;
  templateFile: string;
  template: Record<string, unknown>;
} => {
  const outdir = mkdtempSync(join(tmpdir(), 'twin-chatops-'));
  const codeDir = join(outdir, 'code');
  mkdirSync(codeDir);
  writeFileSync(join(codeDir, 'index.js'), 'exports.handler = async () => ({});\n');
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'ChatOpsTwinTest');
  const code = Code.fromAsset(codeDir);
  const worker = new LambdaFunction(stack, 'Worker', {
    runtime: Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code,
  });
  const chatops = new LambdaFunction(stack, 'ChatOps', {
    runtime: Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code,
    environment: { WORKER_FUNCTION_NAME: worker.functionName },
  });
  // The twin evaluates the roles' policies: without this grant the invoke is AccessDenied, as on AWS.
  worker.grantInvoke(chatops);
  const api = new HttpApi(stack, 'ChatOpsApi');
  const integration = new HttpLambdaIntegration('ChatOpsIntegration', chatops);
  for (const path of CHATOPS_ROUTES) api.addRoutes({ path, methods: [HttpMethod.POST], integration });
  new CfnOutput(stack, 'ChatOpsUrl', { value: api.apiEndpoint });
  const artifact = app.synth().getStackByName(stack.stackName);
  return {
    outdir,
    templateFile: join(outdir, artifact.templateFile),
    template: artifact.template as Record<string, unknown>,
  };
};
