import { optionalString, requiredString } from '../protocol/scalars';
import { constraint, validation } from './errors';
import { list, optionalStruct, stringList, struct } from './input';
import type { StoredCondition } from './state';

/**
 * Rule conditions, kept in the shape DescribeRules returns. Host-header and path-pattern accept
 * the legacy `Values` or their `…Config`, and are returned with both (as AWS does); the others
 * need their `…Config`. Only the limits AWS documents are checked: one host-header,
 * http-request-method, path-pattern and source-ip condition per rule, five values in all.
 */
const FIELDS = [
  'host-header',
  'path-pattern',
  'http-header',
  'http-request-method',
  'query-string',
  'source-ip',
] as const;
const ONCE_PER_RULE = new Set(['host-header', 'path-pattern', 'http-request-method', 'source-ip']);
const MAX_VALUES = 5;

const nonEmpty = (values: readonly unknown[], field: string): void => {
  if (values.length === 0) throw validation(`A condition value must be specified for '${field}'`);
};

const matchCondition = (field: string, raw: Record<string, unknown>, path: string): StoredCondition => {
  const configName = field === 'host-header' ? 'HostHeaderConfig' : 'PathPatternConfig';
  const config = optionalStruct(raw[configName], `${path}.${configName}`);
  const legacy = stringList(raw.Values, `${path}.values`);
  if (legacy !== undefined && config !== undefined) {
    throw validation(`You cannot specify both Values and ${configName} for a '${field}' condition`);
  }
  const values = legacy ?? stringList(config?.Values, `${path}.${configName}.values`) ?? [];
  const regex = stringList(config?.RegexValues, `${path}.${configName}.regexValues`) ?? [];
  nonEmpty([...values, ...regex], field);
  for (const value of values) {
    if (value.length > 128)
      throw constraint(`${path}.values`, value, 'have length less than or equal to 128');
  }
  return {
    Field: field,
    ...(values.length > 0 ? { Values: values } : {}),
    [configName]: {
      ...(values.length > 0 ? { Values: values } : {}),
      ...(regex.length > 0 ? { RegexValues: regex } : {}),
    },
  };
};

const configCondition = (field: string, raw: Record<string, unknown>, path: string): StoredCondition => {
  switch (field) {
    case 'http-header': {
      const config = struct(raw.HttpHeaderConfig ?? {}, `${path}.httpHeaderConfig`);
      const name = optionalString(config.HttpHeaderName, `${path}.httpHeaderConfig.httpHeaderName`);
      if (name === undefined || name === '')
        throw validation("An 'http-header' condition needs HttpHeaderName");
      const values = stringList(config.Values, `${path}.httpHeaderConfig.values`) ?? [];
      nonEmpty(values, field);
      return { Field: field, HttpHeaderConfig: { HttpHeaderName: name, Values: values } };
    }
    case 'http-request-method': {
      const config = struct(raw.HttpRequestMethodConfig ?? {}, `${path}.httpRequestMethodConfig`);
      const values = stringList(config.Values, `${path}.httpRequestMethodConfig.values`) ?? [];
      nonEmpty(values, field);
      return { Field: field, HttpRequestMethodConfig: { Values: values } };
    }
    case 'source-ip': {
      const config = struct(raw.SourceIpConfig ?? {}, `${path}.sourceIpConfig`);
      const values = stringList(config.Values, `${path}.sourceIpConfig.values`) ?? [];
      nonEmpty(values, field);
      return { Field: field, SourceIpConfig: { Values: values } };
    }
    default: {
      const config = struct(raw.QueryStringConfig ?? {}, `${path}.queryStringConfig`);
      const pairs = (list(config.Values, `${path}.queryStringConfig.values`) ?? []).map((item, index) => {
        const pair = struct(item, `${path}.queryStringConfig.values.${index + 1}.member`);
        const key = optionalString(pair.Key, `${path}.queryStringConfig.values.${index + 1}.member.key`);
        const value = requiredString(
          pair.Value,
          `${path}.queryStringConfig.values.${index + 1}.member.value`,
        );
        return key === undefined ? { Value: value } : { Key: key, Value: value };
      });
      nonEmpty(pairs, field);
      return { Field: field, QueryStringConfig: { Values: pairs } };
    }
  }
};

const valueCount = (condition: StoredCondition): number => {
  const config = Object.entries(condition).find(([key]) => key.endsWith('Config'))?.[1] as
    | { Values?: unknown[]; RegexValues?: unknown[] }
    | undefined;
  return (config?.Values?.length ?? 0) + (config?.RegexValues?.length ?? 0);
};

export const parseConditions = (value: unknown, path = 'conditions'): StoredCondition[] => {
  const items = list(value, path) ?? [];
  const seen = new Set<string>();
  const conditions = items.map((item, index) => {
    const memberPath = `${path}.${index + 1}.member`;
    const raw = struct(item, memberPath);
    const field = requiredString(raw.Field, `${memberPath}.field`);
    if (!(FIELDS as readonly string[]).includes(field)) {
      throw validation(`Condition field '${field.slice(0, 64)}' must be one of '[${FIELDS.join(', ')}]'`);
    }
    if (ONCE_PER_RULE.has(field) && seen.has(field)) {
      throw validation(`A rule can only have one '${field}' condition`);
    }
    seen.add(field);
    return field === 'host-header' || field === 'path-pattern'
      ? matchCondition(field, raw, memberPath)
      : configCondition(field, raw, memberPath);
  });
  const total = conditions.reduce((sum, condition) => sum + valueCount(condition), 0);
  if (total > MAX_VALUES) throw validation(`A rule can only have '${MAX_VALUES}' condition values`);
  return conditions;
};

/** Host names a rule matches on (its host-header values), for labels. */
export const hostsOf = (conditions: readonly StoredCondition[]): string[] =>
  conditions.flatMap((condition) => {
    if (condition.Field !== 'host-header') return [];
    const config = condition.HostHeaderConfig as { Values?: string[] } | undefined;
    return config?.Values ?? [];
  });
