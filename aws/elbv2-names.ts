import type { RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Weights } from '../core/routes';

const uniq = (values: readonly string[]): string[] => [...new Set(values)];

/** Values of a host-header/path-pattern condition; regex matches are marked with `~`. */
const matchValues = (
  condition: RuleCondition,
  config: { Values?: string[] | undefined; RegexValues?: string[] | undefined } | undefined,
): string[] =>
  uniq([
    ...(config?.Values ?? condition.Values ?? []),
    ...(config?.RegexValues ?? []).map((regex) => `~${regex}`),
  ]);

const otherCondition = (condition: RuleCondition): string => {
  switch (condition.Field) {
    case 'http-header': {
      const header = condition.HttpHeaderConfig;
      return `header:${header?.HttpHeaderName ?? '?'}=${(header?.Values ?? []).join(',')}`;
    }
    case 'query-string':
      return `query:${(condition.QueryStringConfig?.Values ?? [])
        .map((pair) => (pair.Key === undefined ? (pair.Value ?? '') : `${pair.Key}=${pair.Value ?? ''}`))
        .join('&')}`;
    case 'http-request-method':
      return `method:${(condition.HttpRequestMethodConfig?.Values ?? condition.Values ?? []).join(',')}`;
    case 'source-ip':
      return `source-ip:${(condition.SourceIpConfig?.Values ?? condition.Values ?? []).join(',')}`;
    default:
      return `${condition.Field ?? 'condition'}:${(condition.Values ?? []).join(',')}`;
  }
};

/**
 * What an operator recognises a rule by: host and path first (`api.example.com /v1/*`), then other
 * conditions in brief. A rule without conditions can only be told apart by its priority.
 */
export const ruleName = (conditions: readonly RuleCondition[], priority: string | undefined): string => {
  if (conditions.length === 0) return `priority ${priority ?? '?'}`;
  const hosts = conditions
    .filter((c) => c.Field === 'host-header')
    .flatMap((c) => matchValues(c, c.HostHeaderConfig));
  const paths = conditions
    .filter((c) => c.Field === 'path-pattern')
    .flatMap((c) => matchValues(c, c.PathPatternConfig));
  const others = conditions
    .filter((c) => c.Field !== 'host-header' && c.Field !== 'path-pattern')
    .map(otherCondition);
  return [uniq(hosts).join(','), uniq(paths).join(','), ...others].filter((part) => part !== '').join(' ');
};

export const defaultRouteName = (port: number | undefined): string => `default :${port ?? '?'}`;

/** `blue-api` from `arn:…:targetgroup/blue-api/0123abcd`: short enough for messages. */
export const targetGroupName = (arn: string): string => arn.split(':targetgroup/')[1]?.split('/')[0] ?? arn;

/** `blue-api=50 green-api=50`, for error messages. */
export const formatWeights = (weights: Weights): string =>
  Object.entries(weights)
    .map(([arn, weight]) => `${targetGroupName(arn)}=${weight}`)
    .join(' ') || '(none)';
