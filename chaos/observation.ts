import type { HistoryRecord } from '../aws/store';

/** What a chaos run leaves to check: plain values, read from the twin after the run settled. */

export type TargetWeights = Readonly<Record<string, number>>;

export interface ObservedWrite {
  /** Twin epoch ms. */
  readonly at: number;
  /** The route: rule ARN, or listener ARN for a default action. */
  readonly key: string;
  readonly weights: TargetWeights;
  /** `manual`: the chaos driver's own edit (another client); `system`: anyone else. */
  readonly by: 'manual' | 'system';
}

export interface ObservedRoutePlan {
  readonly id: string;
  readonly name: string;
  readonly from: TargetWeights;
  readonly to: TargetWeights;
}

export interface ObservedPlan {
  readonly action: string;
  readonly cluster?: string;
  readonly steps: readonly number[];
  readonly routes: readonly ObservedRoutePlan[];
  /** Routes the plan left as they were, with the guardrail that held each (if one did). */
  readonly held: readonly { readonly name: string; readonly guardrail?: string }[];
}

export interface ObservedExecution {
  readonly arn: string;
  readonly status: string;
  readonly startMs: number;
  readonly stopMs?: number;
  readonly error?: string;
  readonly cause?: string;
  /** The plan as stored at the end. */
  readonly plan?: ObservedPlan;
  /** Every plan it had while writing (a failover that met drift planned again), the last included. */
  readonly earlierPlans?: readonly ObservedPlan[];
  readonly history?: HistoryRecord;
}

export interface ObservedNotification {
  readonly at: number;
  readonly subject: string;
  readonly text: string;
}

export interface ObservedStart {
  readonly label: string;
  /** What the start answered: `started <arn>`, a refusal, or an error. */
  readonly outcome: string;
}

export interface Observation {
  readonly seed: number;
  readonly startMs: number;
  readonly endMs: number;
  /** Route key → target group weights at the start of the run. */
  readonly initial: Readonly<Record<string, TargetWeights>>;
  /** Route key → its name (host, or `default`). */
  readonly routeNames: Readonly<Record<string, string>>;
  /** Target group ARN → cluster. */
  readonly clusterOf: Readonly<Record<string, string>>;
  readonly writes: readonly ObservedWrite[];
  readonly executions: readonly ObservedExecution[];
  readonly notifications: readonly ObservedNotification[];
  readonly starts: readonly ObservedStart[];
  /** The lock as the run left it. */
  readonly lock?: { readonly executionId: string; readonly expiresAtMs: number };
  readonly leaseSeconds: number;
  /** Cluster → its health alarm's state at the end. */
  readonly healthAtEnd: Readonly<Record<string, string>>;
  /** Whether everything ended (no execution running, no event in flight) before the deadline. */
  readonly settled: boolean;
  /** When it did not settle: what was still going on. */
  readonly stuck?: string;
  /** A dead holder's lock was left before the run: the start after its lease expired. */
  readonly afterLeaseExpiry?: ObservedStart;
}
