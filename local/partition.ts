/**
 * The AWS partition a region belongs to, as AWS::Partition resolves there: `aws-cn` for the China
 * regions (cn-north-1, cn-northwest-1), `aws-us-gov` for GovCloud (us-gov-west-1, us-gov-east-1),
 * `aws` for every commercial region. Every ARN the twin builds starts with it, so a stack deployed for
 * cn-north-1 finds the state machine, functions, topics and load balancers its template names.
 */
export const partitionOf = (region: string): string =>
  region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
