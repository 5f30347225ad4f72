import fc from 'fast-check';
import { CLUSTER_NAME } from '../../../core/chat/patterns';
import { validateFleetConfig } from '../../../core/config';
import { LB } from '../fixtures';

const configAccepts = (name: string): boolean => {
  try {
    validateFleetConfig({
      fleet: 'test',
      region: 'eu-west-1',
      loadBalancers: [{ arn: LB }],
      clusters: [{ name }],
    });
    return true;
  } catch {
    return false;
  }
};

describe('CLUSTER_NAME', () => {
  it('accepts exactly the cluster names the fleet config accepts', () => {
    const names = fc.oneof(fc.string({ maxLength: 34 }), fc.stringMatching(/^[a-z][a-z0-9-]{0,32}$/));
    fc.assert(
      fc.property(names, (name) => {
        expect(CLUSTER_NAME.test(name)).toBe(configAccepts(name));
      }),
    );
  });
});
