import type { TwinInput } from '../service';
import type { TwinServiceName } from '../services/names';
import {
  type ActionRequest,
  accessDeniedError,
  actionRequests,
  displayedAction,
  type ResourceContext,
} from './actions';
import { type Decision, evaluate } from './evaluate';
import { accessKeyIdIn, accessKeyIdOf, type PrincipalRef } from './identity';
import type { RolePlan } from './roles';

export interface IamAuthorityOptions {
  readonly region: string;
  readonly accountId: string;
  /** Default true: every call a deployed function, state machine or rule makes is evaluated. */
  readonly enabled?: boolean;
  readonly log?: (line: string) => void;
}

/** A denied call, for the twin's log and the admin API. */
export interface DenialRecord {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly effect: 'ExplicitDeny' | 'ImplicitDeny';
}

const MAX_DENIALS = 100;

const partitionOf = (region: string): string =>
  region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';

/**
 * IAM on the twin: the roles of the deployed template, the principals that act with them (each
 * function with its execution role, the state machine with its role, each EventBridge rule target
 * with its RoleArn), and a decision for every call they make.
 *
 * Who is who: a request signed with an access key the twin issued (local/iam/identity.ts) is that
 * principal's; any other key (the CLI, tests' own clients, an operator's shell) is the operator,
 * allowed everything, like an administrator's own credentials. A principal whose role is not in a
 * deployed template (a state machine created through the API with a made-up role) is not evaluated:
 * the twin cannot know that role's policies.
 */
export class IamAuthority {
  private enabled: boolean;
  private readonly partition: string;
  private readonly roles = new Map<string, RolePlan>();
  private readonly principals = new Map<string, PrincipalRef>();
  /** Decisions by principal, action and resource: policies change only at deploy, which clears it. */
  private readonly decisions = new Map<string, Decision | 'unknown-role'>();
  private readonly denials: DenialRecord[] = [];
  private resolvers: Pick<ResourceContext, 'secretArn' | 'functionArn'> = {};
  /** Partition key attribute by table name, of the deployed tables (for dynamodb:LeadingKeys). */
  private readonly partitionKeys = new Map<string, string>();

  constructor(private readonly options: IamAuthorityOptions) {
    this.enabled = options.enabled ?? true;
    this.partition = partitionOf(options.region);
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
  }

  /** How to turn a secret id or function name into the ARN IAM sees (the services that know them). */
  setResolvers(resolvers: Pick<ResourceContext, 'secretArn' | 'functionArn'>): void {
    this.resolvers = resolvers;
  }

  /** Adds (or replaces, by ARN) the roles of a deployed template and the principals acting with them. */
  deploy(
    roles: readonly RolePlan[],
    principals: readonly PrincipalRef[],
    tables: readonly { readonly name: string; readonly partitionKey?: string | undefined }[] = [],
  ): void {
    for (const table of tables) {
      if (table.partitionKey !== undefined) this.partitionKeys.set(table.name, table.partitionKey);
    }
    for (const role of roles) {
      this.roles.set(role.arn, role);
      if (role.unmodelledPolicies.length > 0) {
        this.options.log?.(
          `twin: IAM role ${role.name}: managed policies ${role.unmodelledPolicies.join(', ')} are not modelled and grant nothing here`,
        );
      }
    }
    for (const principal of principals) this.principals.set(accessKeyIdOf(principal), principal);
    this.decisions.clear();
  }

  /** The principal a SigV4 Authorization header's access key belongs to; undefined for the operator. */
  principalOf(authorization: string | undefined): PrincipalRef | undefined {
    const key = accessKeyIdIn(authorization);
    return key === undefined ? undefined : this.principals.get(key);
  }

  /** Whether a call with this Authorization header is evaluated: IAM is on and its key is a principal's. */
  evaluates(authorization: string | undefined): boolean {
    return this.enabled && this.principalOf(authorization) !== undefined;
  }

  /**
   * Authorizes one API call as its Authorization header's principal; throws the service's
   * AccessDenied error (a TwinError) when IAM denies any (action, resource) it needs.
   */
  authorizeCall(
    authorization: string | undefined,
    service: TwinServiceName,
    operation: string,
    input: TwinInput,
  ): void {
    if (!this.enabled) return;
    const principal = this.principalOf(authorization);
    if (principal === undefined) return;
    const context: ResourceContext = {
      partition: this.partition,
      region: this.options.region,
      accountId: this.options.accountId,
      ...this.resolvers,
      partitionKeyOf: (tableName) => this.partitionKeys.get(tableName),
    };
    for (const request of actionRequests(service, operation, input, context)) {
      this.authorize(principal, service, request);
    }
  }

  /** Authorizes one (action, resource) for a principal acting inside the twin (Step Functions, EventBridge). */
  authorize(principal: PrincipalRef, service: TwinServiceName, request: ActionRequest): void {
    if (!this.enabled) return;
    const decision = this.decide(principal, request);
    if (decision === 'unknown-role' || decision.effect === 'Allow') return;
    const record: DenialRecord = {
      principal: this.assumedRoleArn(principal),
      action: request.action,
      resource: request.resource,
      effect: decision.effect,
    };
    this.denials.push(record);
    if (this.denials.length > MAX_DENIALS) this.denials.splice(0, this.denials.length - MAX_DENIALS);
    const message = denialMessage(record, displayedAction(service, request.action));
    this.options.log?.(`twin: IAM denied: ${message}`);
    throw accessDeniedError(service, message);
  }

  /** What the admin API shows: on or off, the roles and principals known, the last denials. */
  summary() {
    return {
      enabled: this.enabled,
      roles: [...this.roles.values()].map((role) => ({
        name: role.name,
        arn: role.arn,
        statements: role.statements.length,
        ...(role.unmodelledPolicies.length > 0 ? { unmodelledPolicies: role.unmodelledPolicies } : {}),
      })),
      principals: [...this.principals.entries()].map(([accessKeyId, principal]) => ({
        accessKeyId,
        arn: this.assumedRoleArn(principal),
      })),
      denials: [...this.denials],
    };
  }

  private decide(principal: PrincipalRef, request: ActionRequest): Decision | 'unknown-role' {
    const key = `${principal.roleArn}\n${principal.sessionName}\n${request.action}\n${request.resource}\n${JSON.stringify(request.context ?? {})}`;
    const known = this.decisions.get(key);
    if (known !== undefined) return known;
    const role = this.roles.get(principal.roleArn);
    const decision =
      role === undefined
        ? 'unknown-role'
        : evaluate(role.statements, {
            ...request,
            context: {
              'aws:PrincipalArn': principal.roleArn,
              'aws:PrincipalAccount': this.options.accountId,
              'aws:RequestedRegion': this.options.region,
              'aws:SecureTransport': 'true',
              ...request.context,
            },
          });
    this.decisions.set(key, decision);
    return decision;
  }

  private assumedRoleArn(principal: PrincipalRef): string {
    const roleName = principal.roleArn.split('/').pop() ?? principal.roleArn;
    return `arn:${this.partition}:sts::${this.options.accountId}:assumed-role/${roleName}/${principal.sessionName}`;
  }
}

/**
 * AWS's wording: "User: <assumed-role ARN> is not authorized to perform: <action> on resource: <arn>
 * because no identity-based policy allows the <action> action" (or "with an explicit deny in an
 * identity-based policy"); an action without resource-level permissions names no resource.
 */
export const denialMessage = (record: DenialRecord, action: string): string => {
  const on = record.resource === '*' ? '' : ` on resource: ${record.resource}`;
  const why =
    record.effect === 'ExplicitDeny'
      ? 'with an explicit deny in an identity-based policy'
      : `because no identity-based policy allows the ${action} action`;
  return `User: ${record.principal} is not authorized to perform: ${action}${on} ${why}`;
};
