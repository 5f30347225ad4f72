import type { ApiThrottle } from './api-throttle';
import type { FaultInjector } from './faults';
import type { IamAuthority } from './iam/authority';
import type { TwinInput } from './service';
import type { ServiceDescriptor } from './services/types';

export interface AdmissionRequest {
  readonly service: ServiceDescriptor;
  readonly operation: string;
  /** The request's Authorization header: whose call it is (local/iam/identity.ts). */
  readonly authorization: string | undefined;
  /**
   * The call's input as IAM reads it to find the resources. Asked for only when IAM evaluates the
   * caller (DynamoDB's body is then read before dynalite gets it, otherwise it streams through).
   */
  readonly input: () => TwinInput | Promise<TwinInput>;
}

/**
 * What every call to every service passes before its operation runs, in this order:
 * 1. faults (local/faults.ts): injected latency first (it is the network's), then an injected
 *    throttle or error;
 * 2. IAM (local/iam/): the caller's role must allow the call, else the service's AccessDenied;
 * 3. the API rate limits (local/api-throttle.ts): the bucket is checked on arrival, after the
 *    latency, and a denied call spends no token.
 * Each step answers with the service's own error (its descriptor, local/services/), so a new
 * service gets all three by declaring itself.
 */
export class Admission {
  constructor(
    private readonly steps: {
      readonly faults: FaultInjector;
      readonly iam: IamAuthority;
      readonly throttle: ApiThrottle;
    },
  ) {}

  async admit({ service, operation, authorization, input }: AdmissionRequest): Promise<void> {
    const { faults, iam, throttle } = this.steps;
    await faults.apply(service.name, operation);
    if (iam.evaluates(authorization)) {
      iam.authorizeCall(authorization, service.name, operation, await input());
    }
    throttle.admit(service.name, operation, 'client', iam.principalOf(authorization)?.sessionName);
  }
}
