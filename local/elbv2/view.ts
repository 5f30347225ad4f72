/**
 * The read side of the twin's ELBv2 state that the rest of the twin (traffic model, admin endpoint,
 * fault injection, demo) uses. Implemented by local/elbv2; consumed without knowing its internals.
 */
export interface WeightedTargetGroup {
  readonly arn: string;
  readonly weight: number;
}

/** One forward action: a rule's, or a listener's default action. */
export interface ForwardRouteView {
  /** The rule ARN, or the listener ARN for a default action. */
  readonly key: string;
  readonly loadBalancerArn: string;
  readonly listenerArn: string;
  readonly ruleArn?: string;
  /** Host header values of the rule's conditions, for labels ("svc1.example.com"); may be empty. */
  readonly hosts: readonly string[];
  readonly targetGroups: readonly WeightedTargetGroup[];
}

/** A forward's weights as of `at` (twin epoch ms); logged at creation and at every change. */
export interface WeightChange {
  readonly at: number;
  readonly key: string;
  readonly targetGroups: readonly WeightedTargetGroup[];
}

export type TargetHealthState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';

export interface TargetView {
  readonly id: string;
  readonly port: number;
  readonly health: TargetHealthState;
}

/**
 * A target group's targets as of `at` (twin epoch ms): sent when it is created (no targets yet),
 * when targets are registered and when their health changes, so that its health has a history from
 * its creation on, as CloudWatch's HealthyHostCount does.
 */
export interface TargetsChange {
  readonly at: number;
  readonly targetGroupArn: string;
  readonly targets: readonly TargetView[];
}

export interface TargetGroupView {
  readonly arn: string;
  readonly name: string;
  readonly loadBalancerArns: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly targets: readonly TargetView[];
}

export interface Elbv2View {
  routes(): ForwardRouteView[];
  /** Every weight change in order, including each forward's weights when it was created. */
  weightLog(): readonly WeightChange[];
  targetGroups(): TargetGroupView[];
  /** Calls `listener` with every change of a target group's targets as it happens; returns the unsubscribe. */
  onTargetsChange(listener: (change: TargetsChange) => void): () => void;
  /**
   * Mark targets of a target group healthy/unhealthy (fault injection). `targetIds` undefined means
   * all of them. Throws TwinError TargetGroupNotFound for an unknown ARN.
   */
  setTargetHealth(targetGroupArn: string, state: TargetHealthState, targetIds?: readonly string[]): void;
}
