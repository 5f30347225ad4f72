/** The services the twin serves, by the short name faults, IAM and the admin API use. */
export const TWIN_SERVICES = [
  'elbv2',
  'cloudwatch',
  'sfn',
  'dynamodb',
  'cloudformation',
  'sts',
  'sns',
  'events',
  'lambda',
  'secretsmanager',
] as const;
export type TwinServiceName = (typeof TWIN_SERVICES)[number];
