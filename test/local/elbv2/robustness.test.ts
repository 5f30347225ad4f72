import fc from 'fast-check';
import { TwinError } from '../../../local/errors';
import type { TwinInput } from '../../../local/service';
import { smallFleet } from './fixtures';

/**
 * Whatever a client sends, every operation answers or throws a TwinError with a 4xx status: no
 * TypeError, no 500. Inputs have the shapes decodeQuery produces (strings, lists, structures),
 * built from the parameter names the operations read, with odd values mixed in.
 */
const fleet = smallFleet();
const NAMES = [
  'LoadBalancerArn',
  'LoadBalancerArns',
  'ListenerArn',
  'ListenerArns',
  'RuleArn',
  'RuleArns',
  'TargetGroupArn',
  'TargetGroupArns',
  'ResourceArns',
  'Names',
  'Name',
  'Marker',
  'PageSize',
  'Actions',
  'DefaultActions',
  'Conditions',
  'Type',
  'Order',
  'ForwardConfig',
  'TargetGroups',
  'Weight',
  'TargetGroupStickinessConfig',
  'Enabled',
  'DurationSeconds',
  'AuthenticateOidcConfig',
  'ClientSecret',
  'UseExistingClientSecret',
  'Issuer',
  'Field',
  'Values',
  'HostHeaderConfig',
  'Priority',
  'Port',
  'Protocol',
  'Certificates',
  'Targets',
  'Id',
  'Tags',
  'Key',
  'Value',
  'Subnets',
  'VpcId',
  'RedirectConfig',
  'FixedResponseConfig',
  'StatusCode',
  'Include',
];
const realValues = [
  fleet.lb,
  fleet.listener,
  fleet.apiRule,
  fleet.adminRule,
  fleet.tg('blue-api'),
  fleet.tg('other-tg'),
];
const leaf = fc.oneof(
  fc.constantFrom(
    ...realValues,
    'forward',
    'authenticate-oidc',
    'host-header',
    'HTTP',
    'true',
    'false',
    '',
    '0',
    '-1',
  ),
  fc.constantFrom('1e400', '99999999999999999999999', 'NaN', '1.5', '__proto__', 'toString', 'ö'.repeat(300)),
  fc.string({ maxLength: 12 }),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...NAMES), tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
}));
const input = fc.dictionary(fc.constantFrom(...NAMES), value, {
  maxKeys: 6,
  noNullPrototype: true,
}) as fc.Arbitrary<TwinInput>;

describe('every ELBv2 operation on odd input', () => {
  it.each(Object.keys(fleet.twin.operations))('%s answers or fails with a 4xx TwinError', (name) => {
    const operation = fleet.twin.operations[name];

    fc.assert(
      fc.property(input, (params) => {
        try {
          operation?.(params);
        } catch (error) {
          expect(error).toBeInstanceOf(TwinError);
          expect((error as TwinError).status).toBeLessThan(500);
        }
      }),
      { numRuns: 300, seed: 20_250_101 },
    );
  });
});

describe('the operation table', () => {
  it('has no prototype, so Action=toString or Action=constructor finds no operation', () => {
    const { twin } = smallFleet();

    expect(Object.getPrototypeOf(twin.operations)).toBeNull();
    expect([twin.operations.toString, twin.operations.constructor]).toEqual([undefined, undefined]);
  });
});
