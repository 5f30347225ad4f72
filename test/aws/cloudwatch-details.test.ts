import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { getAlarmStateDetails } from '../../aws/cloudwatch';

const cloudwatch = () => {
  const client = new CloudWatchClient({ region: 'eu-west-1' });
  return { client, mock: mockClient(client) };
};

describe('getAlarmStateDetails', () => {
  it('returns each alarm state with the time it entered it, metric and composite alike', async () => {
    // Prepare
    const { client, mock } = cloudwatch();
    mock.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        { AlarmName: 'green-5xx', StateValue: 'OK', StateUpdatedTimestamp: new Date('2026-11-23T10:00:00Z') },
      ],
      CompositeAlarms: [{ AlarmName: 'green-nodes', StateValue: 'ALARM' }],
    });

    // Act
    const details = await getAlarmStateDetails(['green-5xx', 'green-nodes'], client);

    // Assert
    expect(details).toEqual(
      new Map([
        ['green-5xx', { state: 'OK', stateUpdatedAt: new Date('2026-11-23T10:00:00Z') }],
        ['green-nodes', { state: 'ALARM' }],
      ]),
    );
  });

  it('refuses a name CloudWatch does not know, like getAlarmStates', async () => {
    // Prepare
    const { client, mock } = cloudwatch();
    mock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });

    // Act
    const error = await getAlarmStateDetails(['typo'], client).catch((e: unknown) => e);

    // Assert
    expect(error).toMatchObject({ name: 'AlarmNotFound', message: 'alarms not found: typo' });
  });
});
