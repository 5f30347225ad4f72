import { ArnFormat, type Stack } from 'aws-cdk-lib';

/**
 * The IAM resource for a secret named in the config: a full ARN as it is; a name as
 * `…:secret:<name>-??????`, because Secrets Manager appends six random characters to every ARN.
 */
export const secretArnPattern = (stack: Stack, ref: string): string =>
  ref.startsWith('arn:')
    ? ref
    : stack.formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: `${ref}-??????`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
