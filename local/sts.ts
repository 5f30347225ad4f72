import type { TwinService } from './service';

/**
 * STS GetCallerIdentity (awsQuery): the CLI records who started a shift from it. On the twin every
 * caller is the same local operator.
 */
export class StsTwin implements TwinService {
  constructor(private readonly accountId: string) {}

  readonly operations = {
    GetCallerIdentity: () => ({
      UserId: 'AIDATWINLOCALOPERATOR',
      Account: this.accountId,
      Arn: `arn:aws:iam::${this.accountId}:user/local-operator`,
    }),
  };
}
