/** A metric alarm's "CloudWatch Alarm State Change" event, in the shape AWS documents for EventBridge. */
export const alarmStateChange = (alarmName: string, value = 'ALARM', reason = 'Threshold Crossed') => ({
  version: '0',
  id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
  'detail-type': 'CloudWatch Alarm State Change',
  source: 'aws.cloudwatch',
  account: '123456789012',
  time: '2019-10-02T17:04:40Z',
  region: 'us-east-1',
  resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarmName}`],
  detail: {
    alarmName,
    configuration: {
      description: 'Target group 5XX',
      metrics: [
        {
          id: '30b6c6b2-a864-43a2-4877-c09a1afc3b87',
          metricStat: {
            metric: {
              dimensions: { TargetGroup: 'targetgroup/blue/0123456789abcdef' },
              name: 'HTTPCode_Target_5XX_Count',
              namespace: 'AWS/ApplicationELB',
            },
            period: 60,
            stat: 'Sum',
          },
          returnData: true,
        },
      ],
    },
    previousState: {
      reason: 'Threshold Crossed: no datapoints were received for 1 period.',
      timestamp: '2019-10-02T17:03:40.985+0000',
      value: 'OK',
    },
    state: {
      reason,
      reasonData: '{"version":"1.0","queryDate":"2019-10-02T17:04:40.985+0000"}',
      timestamp: '2019-10-02T17:04:40.985+0000',
      value,
    },
  },
});
