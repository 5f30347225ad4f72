import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { synthesizeDemo } from '../../local/demo';
import { E2eTwin, seedWeights } from '../support/e2e';

jest.setTimeout(180_000);

interface Resource {
  Type: string;
  Properties?: { PolicyDocument?: { Statement: { Sid?: string; Action: unknown }[] }; Roles?: unknown };
  Metadata?: Record<string, unknown>;
}

/**
 * A copy of the synthesized demo template whose apply-step role lacks elasticloadbalancing:ModifyRule
 * (its WriteRuleWeights statement), the function assets pointing at the original cdk.out.
 */
const templateWithoutModifyRule = async (): Promise<string> => {
  const { templateFile, outdir } = await synthesizeDemo();
  const template = JSON.parse(readFileSync(templateFile, 'utf8')) as { Resources: Record<string, Resource> };
  let removed = 0;
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const assetPath = resource.Metadata?.['aws:asset:path'];
    if (typeof assetPath === 'string' && !isAbsolute(assetPath)) {
      resource.Metadata = { ...resource.Metadata, 'aws:asset:path': join(outdir, assetPath) };
    }
    const document = resource.Properties?.PolicyDocument;
    if (resource.Type === 'AWS::IAM::Policy' && logicalId.includes('ApplyStep') && document !== undefined) {
      const before = document.Statement.length;
      document.Statement = document.Statement.filter((statement) => statement.Sid !== 'WriteRuleWeights');
      removed += before - document.Statement.length;
    }
  }
  expect(removed).toBe(1);
  const dir = join(outdir, '..', 'iam-e2e');
  mkdirSync(dir, { recursive: true });
  // Same file name: the stack name (and every resource name) comes from it.
  const copy = join(dir, 'ClusterShift-demo.template.json');
  writeFileSync(copy, JSON.stringify(template));
  return copy;
};

describe('IAM on the twin: a permission missing from the template fails the workflow as AWS would', () => {
  let e2e: E2eTwin;

  beforeAll(async () => {
    e2e = await E2eTwin.start({ args: ['--template', await templateWithoutModifyRule()] });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('fails a drain with the AccessDenied that names the apply-step role, ModifyRule and the rule, and writes no rule', async () => {
    // Act
    const drain = await e2e.cliJson<{ status: string; error?: string; cause?: string }>([
      'drain',
      'blue',
      '--force',
      'single-cluster-route',
      '--reason',
      'iam e2e',
      '--wait',
    ]);

    // Assert
    // `--wait` exits 1 when the execution did not succeed.
    expect(drain.code).toBe(1);
    expect(drain.data.status).toBe('FAILED');
    const denial =
      /User: arn:aws:sts::000000000000:assumed-role\/[^/]*ApplyStep[^/]*\/[^ ]*ApplyStep[^ ]* is not authorized to perform: elasticloadbalancing:ModifyRule on resource: arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule\/app\/demo-public\/[^ ]+ because no identity-based policy allows the elasticloadbalancing:ModifyRule action/;
    expect(e2e.log()).toMatch(denial);
    expect(JSON.stringify(drain.data)).toMatch(/AccessDenied/);
    // The listener's default action (ModifyListener, still granted) may have moved and been rolled
    // back; no listener rule was ever written, and the rollback left every route as seeded.
    expect(await e2e.routeWeights()).toEqual(seedWeights());
  });
});
