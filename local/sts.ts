import type { TwinService } from './service';

/**
 * STS GetCallerIdentity (awsQuery): the CLI records who started a shift from it. On the twin every
 * caller is the same local operator.
 */
export class StsTwin implements TwinService {
  constructor(
    private readonly accountId: string,
    /** The region's partition (local/partition.ts): IAM ARNs are global, but in their partition. */
    private readonly partition = 'aws',
  ) {}

  readonly operations = {
    GetCallerIdentity: () => ({
      UserId: 'AIDATWINLOCALOPERATOR',
      Account: this.accountId,
      Arn: `arn:${this.partition}:iam::${this.accountId}:user/local-operator`,
    }),
  };
}
