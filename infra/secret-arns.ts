import { ArnFormat, type Stack } from 'aws-cdk-lib';

/**
 * The six random characters Secrets Manager appends to every secret's ARN (`-AbCdEf`). A full ARN
 * ends with them; one that does not is partial (the name only), and IAM matches the real ARN only
 * through `-??????` (`?` is exactly one character). Secrets Manager itself reads an ARN ending in a
 * hyphen and six characters as complete, and advises against secret names that end that way: so does
 * this, and such a partial ARN would be taken for a full one here too.
 */
const RANDOM_SUFFIX = /-[A-Za-z0-9]{6}$/;

/**
 * The IAM resource for a secret named in the config: a full ARN as it is; a partial ARN (without the
 * random suffix) or a name as `…:secret:<name>-??????`.
 */
export const secretArnPattern = (stack: Stack, ref: string): string => {
  if (ref.startsWith('arn:')) return RANDOM_SUFFIX.test(ref) ? ref : `${ref}-??????`;
  return stack.formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `${ref}-??????`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
};
