import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ShiftStore, ShiftStoreReader } from '../../../aws/store';
import { lambdaFleetAccess } from '../../../functions/shared/fleet-access';
import { getRuntime, resetRuntime, runtimeWith } from '../../../functions/shared/runtime';

const ENV = {
  FLEET_CONFIG: JSON.stringify({
    fleet: 'access',
    region: 'eu-west-1',
    loadBalancers: [
      { arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/prod/50dc6c495c0c9188' },
    ],
    clusters: [{ name: 'blue' }, { name: 'green' }],
  }),
  TABLE_NAME: 'clustershift-access',
  STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:clustershift-access',
};

describe('lambdaFleetAccess', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    Object.assign(process.env, ENV);
    resetRuntime();
  });
  afterEach(() => {
    process.env = { ...saved };
    resetRuntime();
  });

  it('gives operations the clients the function was built with', () => {
    // Prepare
    const elbv2 = new ElasticLoadBalancingV2Client({ region: 'eu-west-1' });

    // Act
    const access = lambdaFleetAccess({ elbv2: () => elbv2 }, getRuntime());

    // Assert
    expect(access.clients.elbv2()).toBe(elbv2);
  });

  it.each([
    ['sfn', 'Step Functions'],
    ['cloudwatch', 'CloudWatch'],
  ] as const)(
    'refuses an operation that asks for a %s client the function has not, naming the service',
    (client, service) => {
      // Act
      const access = lambdaFleetAccess(
        { elbv2: () => new ElasticLoadBalancingV2Client({ region: 'eu-west-1' }) },
        getRuntime(),
      );

      // Assert
      expect(() => access.clients[client]()).toThrow(`this function has no ${service} client`);
    },
  );

  it('names STATE_MACHINE_ARN when it is not set', () => {
    // Prepare
    delete process.env.STATE_MACHINE_ARN;

    // Act / Assert
    expect(() => lambdaFleetAccess({}, getRuntime())).toThrow(/STATE_MACHINE_ARN/);
  });

  it('gives a worker that only reads the store of the runtime it was built with: the reads alone', async () => {
    // Act
    const reading = await lambdaFleetAccess({}, runtimeWith(ShiftStoreReader)).store();
    const acting = await lambdaFleetAccess({}, getRuntime()).store();

    // Assert: one runtime per store class, each built once
    expect(reading).toBeInstanceOf(ShiftStoreReader);
    expect(reading).not.toBeInstanceOf(ShiftStore);
    expect('acquireLock' in reading).toBe(false);
    expect(acting).toBeInstanceOf(ShiftStore);
    expect(runtimeWith(ShiftStoreReader).store).toBe(reading);
    expect(getRuntime().store).toBe(acting);
  });
});
