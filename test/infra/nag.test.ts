import { type App, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../../infra/build-app';
import { listAcknowledgements } from '../../infra/nag';
import type { ClusterShiftStack } from '../../infra/stack';
import { fixtureProps, fleet, testApp } from './helpers';

interface Finding {
  readonly rule: string;
  readonly severity: string;
  readonly path: string;
}

/** Runs the AwsSolutions pack over the tree the way synth does; `raw` ignores acknowledgements. */
const findings = (app: App, { raw = false } = {}): Finding[] => {
  const checks = new AwsSolutionsChecks();
  // cdk-nag consults construct metadata through this (private) method; a raw run sees every finding.
  if (raw) Object.defineProperty(checks, 'isAcknowledged', { value: () => false });
  return checks.validateScope(app).violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({
      rule: violation.ruleName,
      severity: violation.severity ?? 'error',
      path: resource.constructPath ?? '',
    })),
  );
};

const fixtureApp = (): { app: App; stack: ClusterShiftStack } => {
  const app = testApp();
  const stack = buildApp(app, fleet(), { clusterShift: fixtureProps() });
  return { app, stack };
};

describe('cdk-nag AwsSolutions', () => {
  let app: App;
  let stack: ClusterShiftStack;
  beforeAll(() => {
    ({ app, stack } = fixtureApp());
  });

  it('reports no unacknowledged error', () => {
    expect(findings(app).filter((finding) => finding.severity === 'error')).toEqual([]);
  });

  it('reports no unacknowledged warning', () => {
    expect(findings(app).filter((finding) => finding.severity !== 'error')).toEqual([]);
  });

  it('lets the app synthesize with the checks registered (a finding would fail synth)', () => {
    expect(() => app.synth()).not.toThrow();
    // cdk-nag 3.x reports through the validation plugin, not annotations: nothing may leak there either.
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual(
      [],
    );
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual(
      [],
    );
  });

  it('gives every acknowledgement a specific reason', () => {
    // Act
    const acknowledgements = listAcknowledgements(stack);

    // Assert
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { id, reason } of acknowledgements) {
      expect(id).toMatch(/^AwsSolutions-[A-Z]+\d+/);
      expect(reason.length).toBeGreaterThanOrEqual(60);
      expect(reason).not.toMatch(/\b(TODO|FIXME|TBD)\b|^ok\.?$|^n\/a$/i);
    }
  });

  it('acknowledges only findings that exist (no stale acknowledgement)', () => {
    // Prepare
    const raw = findings(app, { raw: true });

    // Act
    const stale = listAcknowledgements(stack).filter(
      (ack) => !raw.some((finding) => finding.rule === ack.id && finding.path.startsWith(`${ack.path}/`)),
    );

    // Assert
    expect(raw.length).toBeGreaterThan(0);
    expect(stale).toEqual([]);
  });
});

describe('cdk-nag catches what is not acknowledged', () => {
  it('reports, and fails synth on, a new wildcard grant', () => {
    // Prepare
    const { app, stack } = fixtureApp();
    stack.clusterShift.functions.lock.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::some-bucket/*'] }),
    );

    // Act
    const reported = findings(app);

    // Assert
    expect(reported).toEqual([
      {
        rule: 'AwsSolutions-IAM5[Resource::arn:aws:s3:::some-bucket/*]',
        severity: 'error',
        path: 'ClusterShift-demo/ClusterShift/LockRole/DefaultPolicy/Resource',
      },
    ]);
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
  });

  it('does not accept an acknowledgement for a different finding id', () => {
    // Prepare
    const { app, stack } = fixtureApp();
    const role = stack.clusterShift.functions.lock.role as iam.Role;
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:aws:s3:::other/*]',
      reason: 'x',
    });

    // Act + Assert
    expect(findings(app).map((finding) => finding.rule)).toEqual([
      'AwsSolutions-IAM5[Resource::arn:aws:s3:::b/*]',
    ]);
  });
});
