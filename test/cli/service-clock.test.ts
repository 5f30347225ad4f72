import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { Clients } from '../../cli/clients';
import { ServiceClock } from '../../cli/service-clock';

const SERVICE_TIME = Date.parse('2030-01-01T00:00:00Z');

/** An endpoint answering every call with `status` and a Date header from the service's clock. */
const fakeService = async (status: number, body: string) => {
  const server: Server = createServer((_req, res) => {
    res.writeHead(status, {
      Date: new Date(SERVICE_TIME).toUTCString(),
      'Content-Type': 'application/x-amz-json-1.0',
      ...(status === 200 ? {} : { 'x-amzn-query-error': 'ResourceNotFound;Sender' }),
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const clientsFor = (endpoint: string) =>
  new Clients({
    region: 'eu-west-1',
    endpointUrl: endpoint,
    env: {},
  });

describe('ServiceClock', () => {
  it('is the local clock until a response has told the service’s time', () => {
    const clock = new ServiceClock(() => 1_000);

    expect(clock.now().getTime()).toBe(1_000);
    expect(clock.synced).toBe(false);
  });

  it('adds the offset of the Date header, counting the half second the header cannot show', () => {
    const clock = new ServiceClock(() => 1_000_000);

    clock.observe({ headers: { date: new Date(5_000_000).toUTCString() } });

    expect(clock.now().getTime()).toBe(5_000_500);
    expect(clock.synced).toBe(true);
  });

  it('ignores a response without a usable Date header', () => {
    const clock = new ServiceClock(() => 1_000);

    clock.observe({ headers: { date: 'not a date' } });
    clock.observe(undefined);

    expect(clock.now().getTime()).toBe(1_000);
  });

  it('is fed by the CloudWatch client’s responses', async () => {
    // Prepare
    const service = await fakeService(200, '{}');
    const clients = clientsFor(service.endpoint);

    // Act
    await clients.cloudwatch().send(new DescribeAlarmsCommand({}));
    const now = clients.clock.now().getTime();
    clients.destroy();
    await service.close();

    // Assert
    expect(now).toBeGreaterThanOrEqual(SERVICE_TIME);
    expect(now).toBeLessThan(SERVICE_TIME + 60_000);
  });

  it('is fed by the Step Functions client’s error responses too', async () => {
    const service = await fakeService(400, '{"__type":"ResourceNotFound","message":"no such state machine"}');
    const clients = clientsFor(service.endpoint);

    const error = await clients
      .sfn()
      .send(
        new ListExecutionsCommand({
          stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:x',
        }),
      )
      .catch((e: unknown) => e);
    const now = clients.clock.now().getTime();
    clients.destroy();
    await service.close();

    expect(error).toBeInstanceOf(Error);
    expect(now).toBeGreaterThanOrEqual(SERVICE_TIME);
  });
});
