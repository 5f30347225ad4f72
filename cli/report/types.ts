/**
 * Everything the shift report shows, already gathered: `renderReport` turns it into one HTML file
 * without any I/O, and `collectReport` builds it from history, Step Functions and CloudWatch.
 */

export interface ReportExecution {
  readonly arn: string;
  readonly name: string;
  readonly action: string;
  readonly cluster?: string;
  readonly requestedBy: string;
  readonly reason?: string;
  readonly startedAt: Date;
  readonly stoppedAt?: Date;
  /** Step Functions' status: RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED … */
  readonly status: string;
  /** clustershift's own verdict from history when it says more (REFUSED: nothing was written). */
  readonly outcome?: string;
  /** Error name, e.g. GateFailed. */
  readonly error?: string;
  /** One sentence saying where traffic was left. */
  readonly endState?: string;
}

export interface ReportCluster {
  readonly name: string;
  /** CSS colour (`#rgb`, `#rrggbb` or a plain colour name); anything else is ignored. */
  readonly colour?: string;
}

export interface ReportPoint {
  /** Start of the period, as CloudWatch timestamps it. */
  readonly at: Date;
  readonly requests: number;
}

export interface ReportSeries {
  readonly cluster: string;
  readonly points: readonly ReportPoint[];
}

export interface ReportStep {
  /** 0-based; shown as `step index+1/total`. */
  readonly index: number;
  readonly total: number;
  /** When its weights were written. */
  readonly at: Date;
  readonly bakeUntil?: Date;
  /** Planned share (0–1) per cluster after this step. */
  readonly shares: Readonly<Record<string, number>>;
  readonly weightsSummary?: string;
  readonly gates?: string;
  /** Share (0–1) per cluster of the requests CloudWatch counted between this write and the next change. */
  readonly observedShares?: Readonly<Record<string, number>>;
}

export type MarkerKind = 'verify' | 'rollback' | 'failure' | 'note';

export interface ReportMarker {
  readonly at: Date;
  readonly label: string;
  readonly kind: MarkerKind;
}

export interface ReportData {
  readonly fleet: string;
  readonly execution: ReportExecution;
  readonly clusters: readonly ReportCluster[];
  readonly series: readonly ReportSeries[];
  readonly steps: readonly ReportStep[];
  readonly markers: readonly ReportMarker[];
  /** Seconds per datapoint (default 60): the chart's unit is requests per period. */
  readonly periodSeconds?: number;
  /** The chart's time axis; by default it spans the execution, the points, steps and markers. */
  readonly window?: { readonly start: Date; readonly end: Date };
  /** Caveats an operator should know (where the target groups came from, missing data …). */
  readonly notes?: readonly string[];
  readonly generatedAt?: Date;
}
