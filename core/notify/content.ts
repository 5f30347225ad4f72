/**
 * What a notification says, independent of where it goes: a title, labelled facts, longer lists and
 * the links. The SNS text and the Slack blocks are both drawn from this, so they never disagree.
 */
import { isFailStatic } from './fail-static';
import { type ExecutionLinks, executionLinks } from './links';
import type {
  GateReadings,
  Notification,
  ObservedShare,
  OutcomeNotification,
  StartedNotification,
  StepNotification,
} from './model';
import { type NotificationEvent, notificationEvent } from './policy';
import { describeRequester } from './trigger';

export interface Fact {
  readonly label: string;
  readonly value: string;
}

/** A list too long for one fact (routes, held routes), cut to a bound with the rest counted. */
export interface FactList {
  readonly label: string;
  readonly lines: readonly string[];
}

export interface NotificationContent {
  readonly event: NotificationEvent;
  /** `drain blue: step 2/4 applied and baked`. */
  readonly title: string;
  /** A sentence that must not be missed (fail static). */
  readonly alert?: string;
  readonly facts: readonly Fact[];
  readonly lists: readonly FactList[];
  readonly executionId: string;
  readonly links: ExecutionLinks;
  /** The shift is still running: the Slack message offers Pause, Resume and Abort. */
  readonly running: boolean;
  /** The next step waits for approval: the Slack message offers "Approve next step". */
  readonly approvable: boolean;
}

/** Lists in a notification show at most this many entries (a message is read, not searched). */
export const LIST_LIMIT = 10;

const percent = (share: number): string => `${Math.round(share * 100)} %`;

/** `blue 25 %, green 75 %`. */
export const formatShares = (shares: Readonly<Record<string, number>>): string => {
  const entries = Object.entries(shares);
  return entries.length === 0
    ? 'none'
    : entries.map(([cluster, share]) => `${cluster} ${percent(share)}`).join(', ');
};

const bounded = (items: readonly string[], limit = LIST_LIMIT): string[] =>
  items.length <= limit ? [...items] : [...items.slice(0, limit), `… and ${items.length - limit} more`];

const formatObserved = (observed: ObservedShare): string => {
  switch (observed.status) {
    case 'measured':
      return `${formatShares(observed.shares)} of ${observed.requests} requests over ${observed.minutes} min`;
    case 'not-measured':
      return `not measured yet (${observed.why})`;
    case 'unavailable':
      return `unavailable (${observed.why})`;
  }
};

const formatGates = (gates: GateReadings): string => {
  if (gates.status === 'unavailable') return `unavailable (${gates.why})`;
  if (gates.alarms.length === 0) return 'no gate or health alarms to check';
  const firing = gates.alarms.filter((a) => a.state !== 'OK');
  const ok = gates.alarms.filter((a) => a.state === 'OK').map((a) => a.name);
  if (firing.length === 0) return `all OK: ${bounded(ok).join(', ')}`;
  const notOk = bounded(firing.map((a) => `${a.name} ${a.state}`)).join(', ');
  return ok.length === 0 ? notOk : `${notOk}; OK: ${bounded(ok).join(', ')}`;
};

/** `drain blue`, `shift`, `auto-restore green`. */
const whatOf = (n: Notification): string => {
  const action = n.requestedBy?.startsWith('auto-restore:') ? 'auto-restore' : (n.action ?? 'shift');
  return [action, n.cluster].filter(Boolean).join(' ');
};

/** Who asked and why: the first thing every message says. */
const originFacts = (n: Notification): Fact[] => [
  ...(n.requestedBy === undefined
    ? []
    : [{ label: 'requested by', value: describeRequester(n.requestedBy) }]),
  ...(n.reason === undefined || n.reason === '' ? [] : [{ label: 'reason', value: n.reason }]),
  ...(n.cluster === undefined ? [] : [{ label: 'cluster', value: n.cluster }]),
];

const fractions = (steps: readonly number[]): string => steps.map(percent).join(', ');
const stepNumbers = (indexes: readonly number[]): string => indexes.map((i) => i + 1).join(', ');

const startedContent = (n: StartedNotification) => {
  const { plan } = n;
  const facts: Fact[] = [
    ...originFacts(n),
    {
      label: 'plan',
      value:
        `${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'} (${fractions(plan.steps)}), ` +
        (plan.bakeSeconds === 0 ? 'no bake' : `bake ${plan.bakeSeconds} s after each`),
    },
    {
      label: 'routes',
      value: `${plan.routesChanging} change, ${plan.routesUnchanged} unchanged, ${plan.held.length} held`,
    },
    { label: 'weights now', value: formatShares(plan.sharesBefore) },
    { label: 'target weights', value: formatShares(plan.sharesTarget) },
    ...(plan.pauseBeforeSteps.length === 0
      ? []
      : [{ label: 'approval', value: `needed before step ${stepNumbers(plan.pauseBeforeSteps)}` }]),
    ...(plan.forced.length === 0 ? [] : [{ label: 'forced', value: plan.forced.join(', ') }]),
  ];
  // The summary already stops at its own bound; what neither shows is counted once.
  const routeLines = plan.routes.map((r) => `${r.name}: ${r.before} → ${r.after}`);
  const more = Math.max(0, routeLines.length - LIST_LIMIT) + plan.routesOmitted;
  const routes = [...routeLines.slice(0, LIST_LIMIT), ...(more > 0 ? [`… and ${more} more`] : [])];
  const lists: FactList[] = [
    ...(routes.length === 0 ? [] : [{ label: 'routes changing', lines: routes }]),
    ...(plan.held.length === 0
      ? []
      : [{ label: 'routes held', lines: bounded(plan.held.map((h) => `${h.name}: ${h.reason}`)) }]),
  ];
  return {
    title: `${whatOf(n)} started`,
    facts,
    lists,
    running: true,
    approvable: plan.pauseBeforeSteps.includes(0),
  };
};

const stepContent = (n: StepNotification) => {
  const { index, total, fraction } = n.step;
  const number = index + 1;
  const next = number < total;
  const nextStep = !next
    ? 'none: this was the last step'
    : n.nextStepAwaitsApproval
      ? `step ${number + 1}/${total} waits for approval (Approve next step, or clustershift approve --execution ${executionLinks(n.executionId).name})`
      : `step ${number + 1}/${total}`;
  return {
    title: `${whatOf(n)}: step ${number}/${total} ${n.bakeSeconds > 0 ? 'applied and baked' : 'applied'}`,
    facts: [
      ...originFacts(n),
      { label: 'step', value: `${number}/${total} (${percent(fraction)} of the way)` },
      { label: 'weights', value: formatShares(n.shares) },
      { label: 'observed', value: formatObserved(n.observed) },
      { label: 'gates', value: formatGates(n.gates) },
      { label: 'next', value: nextStep },
    ],
    lists: [],
    running: true,
    approvable: next && n.nextStepAwaitsApproval,
  };
};

const rollbackText = (rollback: NonNullable<OutcomeNotification['rollback']>): string =>
  `${rollback.mode}, ${rollback.restored} routes restored to their snapshot` +
  (rollback.leftAsFound.length > 0 ? `; left as found: ${rollback.leftAsFound.join(', ')}` : '');

const outcomeContent = (n: OutcomeNotification) => {
  const failStatic = isFailStatic(n);
  const facts: Fact[] = [
    ...originFacts(n),
    ...(n.duplicateOf === undefined
      ? []
      : [{ label: 'duplicate of', value: `${n.duplicateOf} (nothing written)` }]),
    ...(n.skipped === undefined ? [] : [{ label: 'skipped', value: `${n.skipped} (nothing written)` }]),
    ...(n.error === undefined ? [] : [{ label: 'error', value: `${n.error.name}: ${n.error.message}` }]),
    ...(n.endState !== undefined
      ? [{ label: 'routes', value: n.endState }]
      : n.rollback !== undefined
        ? [{ label: 'after the failure', value: rollbackText(n.rollback) }]
        : []),
    ...(n.shares === undefined ? [] : [{ label: 'weights', value: formatShares(n.shares) }]),
  ];
  return {
    title: failStatic ? `FAIL STATIC, ${whatOf(n)} refused` : `${whatOf(n)} ${n.status.toLowerCase()}`,
    ...(failStatic
      ? {
          alert: `fail static: no healthy cluster to take ${n.cluster}'s traffic; nothing was written, ${n.cluster} keeps its traffic until an operator acts`,
        }
      : {}),
    facts,
    lists: [],
    running: false,
    approvable: false,
  };
};

const contentByKind = (n: Notification) => {
  switch (n.kind) {
    case 'started':
      return startedContent(n);
    case 'step':
      return stepContent(n);
    case 'outcome':
      return outcomeContent(n);
  }
};

export const notificationContent = (n: Notification): NotificationContent => ({
  event: notificationEvent(n),
  ...contentByKind(n),
  executionId: n.executionId,
  links: executionLinks(n.executionId),
});
